package org.brainalign.engine.finetune.tests;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * A small deterministic image folder of two digit-like classes drawn with Java2D, white on black at 28 x 28 like
 * MNIST: "ring" (a "0": an ellipse outline) and "stroke" (a "1": a near-vertical bar), each with its position, size,
 * slant and thickness jittered by a seeded random stream.
 */
final class PatternImages {

    private PatternImages() {
    }

    /**
     * Writes the folder.
     *
     * @param folder the image folder to create (sub-folders "ring" and "stroke")
     * @param perClass images per class
     * @param seed the jitter's seed
     * @return the folder
     * @throws IOException if writing fails
     */
    static Path write(Path folder, int perClass, long seed) throws IOException {
        Random random = new Random(seed);
        for (String name : new String[] { "ring", "stroke" }) {
            Path dir = Files.createDirectories(folder.resolve(name));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                Graphics2D g = img.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setColor(Color.BLACK);
                g.fillRect(0, 0, 28, 28);
                g.setColor(Color.WHITE);
                g.setStroke(new BasicStroke(2f + 1.5f * random.nextFloat(), BasicStroke.CAP_ROUND,
                        BasicStroke.JOIN_ROUND));
                double cx = 14 + random.nextGaussian() * 1.5;
                double cy = 14 + random.nextGaussian() * 1.5;
                if (name.equals("ring")) {
                    double w = 10 + 4 * random.nextDouble();
                    double h = 14 + 5 * random.nextDouble();
                    g.draw(new java.awt.geom.Ellipse2D.Double(cx - w / 2, cy - h / 2, w, h));
                } else {
                    double half = 7 + 3 * random.nextDouble();
                    double slant = random.nextGaussian() * 2;
                    g.draw(new java.awt.geom.Line2D.Double(cx + slant, cy - half, cx - slant, cy + half));
                }
                g.dispose();
                ImageIO.write(img, "png", dir.resolve(String.format("%03d.png", i)).toFile());
            }
        }
        return folder;
    }
}
