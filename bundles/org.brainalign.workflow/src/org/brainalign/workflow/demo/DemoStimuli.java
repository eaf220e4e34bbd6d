package org.brainalign.workflow.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.brainalign.io.AtomicFile;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * The demo's stimuli: deterministic synthetic pictures, each a coloured gradient background with a few shapes
 * (discs, boxes, triangles) and a patch of sinusoidal grating, at random places, sizes, orientations and colours drawn
 * from a seed. Images differ locally and globally, which is what lets a fit tell positions and scales apart.
 */
public final class DemoStimuli {

    /** Side of the PNG files in pixels (the network resizes them to its input). */
    public static final int SIDE = 96;

    private DemoStimuli() {
    }

    /**
     * Draws and writes the stimuli.
     *
     * @param folder where the PNG files go
     * @param count how many
     * @param seed the seed
     * @param monitor progress in images
     * @return the image ids, in order ("demo-0001", ...), each written as id.png
     * @throws IOException if a file cannot be written
     */
    public static List<String> write(Path folder, int count, long seed, IProgressMonitor monitor) throws IOException {
        SubMonitor progress = SubMonitor.convert(monitor, "Drawing stimuli", count);
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = String.format("demo-%04d", i + 1);
            BufferedImage image = draw(new Random(seed * 1_000_003L + i));
            AtomicFile.write(folder.resolve(id + ".png"), out -> ImageIO.write(image, "png", out));
            ids.add(id);
            progress.split(1);
        }
        return ids;
    }

    /**
     * @param random the image's own random source
     * @return one stimulus
     */
    static BufferedImage draw(Random random) {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            double angle = random.nextDouble() * 2 * Math.PI;
            g.setPaint(new GradientPaint(0, 0, color(random, 0.3f), (float) (SIDE * Math.cos(angle)),
                    (float) (SIDE * Math.sin(angle)), color(random, 0.3f)));
            g.fillRect(0, 0, SIDE, SIDE);
            grating(image, random);
            int shapes = 1 + random.nextInt(4);
            for (int s = 0; s < shapes; s++) {
                g.setColor(color(random, 1f));
                double size = SIDE * (0.12 + 0.3 * random.nextDouble());
                double x = random.nextDouble() * (SIDE - size);
                double y = random.nextDouble() * (SIDE - size);
                switch (random.nextInt(3)) {
                    case 0 -> g.fill(new Ellipse2D.Double(x, y, size, size * (0.6 + 0.8 * random.nextDouble())));
                    case 1 -> g.fill(new Rectangle2D.Double(x, y, size, size * (0.4 + random.nextDouble())));
                    default -> {
                        Polygon p = new Polygon();
                        for (int k = 0; k < 3; k++) {
                            p.addPoint((int) (x + random.nextDouble() * size), (int) (y + random.nextDouble() * size));
                        }
                        g.fill(p);
                    }
                }
                if (random.nextBoolean()) {
                    g.setColor(color(random, 1f));
                    g.setStroke(new BasicStroke(1 + random.nextInt(3)));
                    g.drawLine(random.nextInt(SIDE), random.nextInt(SIDE), random.nextInt(SIDE), random.nextInt(SIDE));
                }
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** A disc of sinusoidal grating blended into the image. */
    private static void grating(BufferedImage image, Random random) {
        double cx = random.nextDouble() * SIDE, cy = random.nextDouble() * SIDE;
        double radius = SIDE * (0.15 + 0.25 * random.nextDouble());
        double theta = random.nextDouble() * Math.PI;
        double period = 4 + 12 * random.nextDouble();
        double contrast = 0.3 + 0.7 * random.nextDouble();
        double ux = Math.cos(theta), uy = Math.sin(theta);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                double d = Math.hypot(x - cx, y - cy);
                if (d > radius) {
                    continue;
                }
                double wave = 0.5 + 0.5 * contrast * Math.sin(2 * Math.PI * (x * ux + y * uy) / period);
                int v = (int) Math.round(255 * wave);
                int rgb = image.getRGB(x, y);
                double a = 1 - d / radius; // soft edge
                int r = mix((rgb >> 16) & 0xFF, v, a), gr = mix((rgb >> 8) & 0xFF, v, a), b = mix(rgb & 0xFF, v, a);
                image.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
    }

    private static int mix(int from, int to, double a) {
        return (int) Math.round(from + (to - from) * a);
    }

    private static Color color(Random random, float minBrightness) {
        return Color.getHSBColor(random.nextFloat(), 0.3f + 0.7f * random.nextFloat(),
                minBrightness + (1 - minBrightness) * random.nextFloat());
    }
}
