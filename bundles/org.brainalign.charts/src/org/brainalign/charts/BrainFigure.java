package org.brainalign.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Brain figure: three orthogonal slices (axial, coronal, sagittal) through a volume, each voxel coloured by the layer
 * it prefers ({@link LayerColors}, first layer blue to last layer red) and dimmed by the entropy of its layer weights,
 * over an optional anatomical background in grey. Every panel carries the orientation letters of its edges (L/R,
 * A/P, S/I) and a key below the panels maps colours to layers (and, with an entropy volume, brightness to entropy).
 * <p>
 * Orientation. Panels are drawn in world directions read from the volume's orientation code, whatever the storage
 * order: axial and coronal panels have anterior or superior at the top, sagittal panels anterior on the left. Left
 * and right follow the display convention: neurological shows the subject's left on the left of the panel (as if
 * looking from behind or above), radiological on the right (as if facing the subject). Voxels keep their proportions
 * (voxel sizes in mm), and the three panels share one scale.
 * <p>
 * It draws with plain Java2D, so it renders to PNG and SVG through {@link ChartRendering} like the charts do.
 */
public final class BrainFigure implements Figure {

    /** Which side of a panel the subject's left is drawn on. */
    public enum Convention {
        /** The subject's left on the right of the panel, as radiologists read scans. */
        RADIOLOGICAL,
        /** The subject's left on the left of the panel, as neuroscience papers usually show it. */
        NEUROLOGICAL
    }

    /** A preferred-layer value must be this close to a whole number: maps are stored as float32. */
    private static final double LAYER_TOLERANCE = 1e-3;

    /** Entropy rows of the key when an entropy volume dims the colours: 0, 0.25, ..., 1. */
    private static final int KEY_ENTROPY_ROWS = 5;

    /** The brightest grey of the anatomical underlay: darker than the palest layer colours, so those stand out. */
    private static final int UNDERLAY_WHITE = 150;

    private static final Font LETTER_FONT = new Font(ChartStyle.FONT, Font.BOLD, 14);
    private static final Color PANEL_BACKGROUND = Color.BLACK;

    private static final String[] PANEL_NAMES = { "axial", "coronal", "sagittal" };
    private static final String AXIS_NAMES = "ijk";
    /** Letters of the world axes, negative then positive direction: x runs L to R, y P to A, z I to S. */
    private static final String[][] LETTERS = { { "L", "R" }, { "P", "A" }, { "I", "S" } };

    private final BrainVolume layers;
    private final int layerCount;
    private final BrainVolume entropy;
    private final BrainVolume background;
    private final Convention convention;
    private final String title;
    private final Panel[] panels;
    /** Grey levels of the background: its 2nd and 98th percentile map to black and white. */
    private final double backgroundLow;
    private final double backgroundHigh;

    private BrainFigure(Builder b) {
        this.layers = b.layers;
        this.layerCount = b.layerCount;
        this.entropy = b.entropy;
        this.background = b.background;
        this.convention = b.convention;
        this.title = b.title;
        checkLayers();
        checkEntropy();
        double[] range = background == null ? new double[] { 0, 1 } : percentiles(background.values());
        this.backgroundLow = range[0];
        this.backgroundHigh = range[1];
        int[] crosshair = b.crosshair == null ? busiestSlices() : b.crosshair;
        this.panels = new Panel[3];
        for (int p = 0; p < 3; p++) {
            panels[p] = new Panel(p, crosshair);
        }
    }

    /**
     * Starts a brain figure.
     *
     * @param preferredLayer the preferred layer of each voxel, 0-based (0 = first layer), NaN where there is none
     * @param layerCount the number of layers L of the network, at least 1
     * @return a builder for the optional parts
     */
    public static Builder builder(BrainVolume preferredLayer, int layerCount) {
        return new Builder(preferredLayer, layerCount);
    }

    /** Collects the optional parts of a brain figure. */
    public static final class Builder {

        private final BrainVolume layers;
        private final int layerCount;
        private BrainVolume entropy;
        private BrainVolume background;
        private Convention convention = Convention.NEUROLOGICAL;
        private int[] crosshair;
        private String title;

        private Builder(BrainVolume layers, int layerCount) {
            this.layers = ChartStyle.required(layers, "a preferred-layer volume");
            if (layerCount < 1) {
                throw new IllegalArgumentException("a brain figure needs at least one layer, got " + layerCount);
            }
            this.layerCount = layerCount;
        }

        /**
         * @param volume normalised entropy of each voxel's layer weights, 0 (one layer) to 1 (uniform), on the same
         *        grid; dims uncertain voxels
         * @return this builder
         */
        public Builder optEntropy(BrainVolume volume) {
            this.entropy = volume;
            return this;
        }

        /**
         * @param volume an anatomical volume on the same grid, drawn in grey under the layer colours
         * @return this builder
         */
        public Builder optBackground(BrainVolume volume) {
            this.background = volume;
            return this;
        }

        /**
         * @param value radiological or neurological (the default)
         * @return this builder
         */
        public Builder optConvention(Convention value) {
            this.convention = ChartStyle.required(value, "a display convention");
            return this;
        }

        /**
         * Sets the voxel the three slices pass through; by default each slice is the one holding the most voxels with
         * a preferred layer.
         *
         * @param i voxel index along i
         * @param j voxel index along j
         * @param k voxel index along k
         * @return this builder
         */
        public Builder optCrosshair(int i, int j, int k) {
            int[] d = layers.dims();
            if (i < 0 || j < 0 || k < 0 || i >= d[0] || j >= d[1] || k >= d[2]) {
                throw new IllegalArgumentException("voxel (" + i + ", " + j + ", " + k + ") is outside the volume "
                        + Arrays.toString(d));
            }
            this.crosshair = new int[] { i, j, k };
            return this;
        }

        /**
         * @param text the title drawn above the panels
         * @return this builder
         */
        public Builder optTitle(String text) {
            this.title = text;
            return this;
        }

        /**
         * @return the figure
         * @throws IllegalArgumentException if a volume lies on another grid, a preferred layer is not one of the L
         *         layers, or an entropy is outside [0, 1]
         */
        public BrainFigure build() {
            return new BrainFigure(this);
        }
    }

    /**
     * One panel: a slice perpendicular to a world axis, with the voxel axes and directions that fill its columns and
     * rows.
     */
    private final class Panel {

        final int kind;
        /** Voxel axis held fixed, and its index. */
        final int fixedAxis;
        final int slice;
        /**
         * Voxel axes along columns (left to right) and rows (top to bottom), and whether their index runs backwards.
         */
        final int columnAxis;
        final boolean columnReversed;
        final int rowAxis;
        final boolean rowReversed;
        final int columns;
        final int rows;
        final double widthMm;
        final double heightMm;
        final String left;
        final String right;
        final String top;
        final String bottom;

        Panel(int kind, int[] crosshair) {
            this.kind = kind;
            // world axis across the panel and the direction (+1: towards R, A or S) that moving right goes
            int across;
            int rightward;
            // moving down always goes towards posterior (axial) or inferior (coronal, sagittal)
            int down;
            int fixedWorld;
            switch (kind) {
                case 0 -> {
                    fixedWorld = 2;
                    across = 0;
                    down = 1;
                    rightward = convention == Convention.NEUROLOGICAL ? 1 : -1;
                }
                case 1 -> {
                    fixedWorld = 1;
                    across = 0;
                    down = 2;
                    rightward = convention == Convention.NEUROLOGICAL ? 1 : -1;
                }
                default -> {
                    fixedWorld = 0;
                    across = 1;
                    down = 2;
                    // sagittal: anterior on the left, so moving right goes towards posterior
                    rightward = -1;
                }
            }
            this.fixedAxis = voxelAxis(fixedWorld);
            this.slice = crosshair[fixedAxis];
            this.columnAxis = voxelAxis(across);
            this.columnReversed = rightward * voxelSign(across) < 0;
            this.rowAxis = voxelAxis(down);
            this.rowReversed = -1 * voxelSign(down) < 0;
            this.left = LETTERS[across][rightward > 0 ? 0 : 1];
            this.right = LETTERS[across][rightward > 0 ? 1 : 0];
            this.top = LETTERS[down][1];
            this.bottom = LETTERS[down][0];
            int[] d = layers.dims();
            double[] size = layers.voxelSize();
            this.columns = d[columnAxis];
            this.rows = d[rowAxis];
            this.widthMm = columns * size[columnAxis];
            this.heightMm = rows * size[rowAxis];
        }

        /** The voxel (i, j, k) shown at a column and row. */
        int[] voxel(int column, int row) {
            int[] v = new int[3];
            v[fixedAxis] = slice;
            v[columnAxis] = columnReversed ? columns - 1 - column : column;
            v[rowAxis] = rowReversed ? rows - 1 - row : row;
            return v;
        }

        String caption() {
            return PANEL_NAMES[kind] + ", " + AXIS_NAMES.charAt(fixedAxis) + " = " + slice;
        }

        BufferedImage image() {
            BufferedImage img = new BufferedImage(columns, rows, BufferedImage.TYPE_INT_RGB);
            int[] palette = palette();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    int[] v = voxel(c, r);
                    img.setRGB(c, r, colour(v[0], v[1], v[2], palette));
                }
            }
            return img;
        }
    }

    /** The voxel axis (0 = i, 1 = j, 2 = k) that lies along a world axis (0 = R/L, 1 = A/P, 2 = S/I). */
    private int voxelAxis(int world) {
        String code = layers.orientation();
        for (int a = 0; a < 3; a++) {
            if (BrainVolume.worldAxis(code.charAt(a)) == world) {
                return a;
            }
        }
        throw new IllegalStateException("orientation " + code + " has no axis along world axis " + world);
    }

    /** +1 if the voxel index along a world axis increases towards R, A or S; -1 if towards L, P or I. */
    private int voxelSign(int world) {
        char letter = layers.orientation().charAt(voxelAxis(world));
        return letter == 'R' || letter == 'A' || letter == 'S' ? 1 : -1;
    }

    private int[] palette() {
        int[] p = new int[layerCount];
        for (int l = 0; l < layerCount; l++) {
            p[l] = LayerColors.layerRgb(l, layerCount);
        }
        return p;
    }

    /** The colour a voxel is drawn in: its layer colour dimmed by entropy, else the background grey, else black. */
    private int colour(int i, int j, int k, int[] palette) {
        float layer = layers.value(i, j, k);
        if (!Float.isNaN(layer)) {
            int rgb = palette[Math.round(layer)];
            if (entropy != null) {
                float e = entropy.value(i, j, k);
                if (!Float.isNaN(e)) {
                    rgb = LayerColors.dimmed(rgb, e);
                }
            }
            return rgb;
        }
        if (background != null) {
            float v = background.value(i, j, k);
            if (!Float.isNaN(v)) {
                double g = (v - backgroundLow) / (backgroundHigh - backgroundLow);
                int grey = (int) Math.round(UNDERLAY_WHITE * Math.min(1, Math.max(0, g)));
                return grey << 16 | grey << 8 | grey;
            }
        }
        return PANEL_BACKGROUND.getRGB() & 0xFFFFFF;
    }

    // ---- Figure -------------------------------------------------------------------------------------------------

    @Override
    public Dimension preferredSize() {
        // about 330 pixels for the tallest panel: three panels fit a page width at print resolution
        double scale = 330 / Math.max(panels[0].heightMm, Math.max(panels[1].heightMm, panels[2].heightMm));
        double width = 2 * MARGIN + 2 * GAP;
        for (Panel p : panels) {
            width += p.widthMm * scale;
        }
        return new Dimension((int) Math.ceil(Math.max(width, 520)), (int) Math.ceil(330 + chrome()));
    }

    private static final double MARGIN = 16;
    private static final double GAP = 14;
    private static final double TITLE_HEIGHT = 30;
    private static final double CAPTION_HEIGHT = 22;
    private static final double KEY_HEIGHT = 84;

    /** Height taken by everything but the panels: title, captions, key, margins. */
    private double chrome() {
        return 2 * MARGIN + (title == null ? 0 : TITLE_HEIGHT) + CAPTION_HEIGHT + KEY_HEIGHT;
    }

    @Override
    public void draw(Graphics2D g2, Rectangle2D area) {
        Graphics2D g = (Graphics2D) g2.create();
        try {
            // exact geometry, as the charts draw it: the key's frame and ticks land where they are computed
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setPaint(Color.WHITE);
            g.fill(area);
            double x0 = area.getX() + MARGIN;
            double y = area.getY() + MARGIN;
            double width = area.getWidth() - 2 * MARGIN;
            if (title != null) {
                g.setFont(ChartStyle.TITLE_FONT);
                g.setPaint(Color.BLACK);
                drawCentred(g, title, area.getCenterX(), y + 18);
                y += TITLE_HEIGHT;
            }
            double panelHeight = area.getHeight() - chrome();
            double totalMm = 0;
            double tallestMm = 0;
            for (Panel p : panels) {
                totalMm += p.widthMm;
                tallestMm = Math.max(tallestMm, p.heightMm);
            }
            double scale = Math.max(0, Math.min((width - 2 * GAP) / totalMm, panelHeight / tallestMm));
            double used = totalMm * scale + 2 * GAP;
            double x = x0 + (width - used) / 2;
            double panelsTop = y + CAPTION_HEIGHT;
            for (Panel p : panels) {
                double w = p.widthMm * scale;
                double h = p.heightMm * scale;
                // panels share a top line; a shorter one is centred in the row
                double top = panelsTop + (tallestMm * scale - h) / 2;
                g.setFont(ChartStyle.NOTE_FONT);
                g.setPaint(Color.BLACK);
                drawCentred(g, p.caption(), x + w / 2, panelsTop - 7);
                drawPanel(g, p, x, top, w, h);
                x += w + GAP;
            }
            drawKey(g, area.getCenterX(), panelsTop + tallestMm * scale + 14, Math.min(360, width * 0.6));
        } finally {
            g.dispose();
        }
    }

    private void drawPanel(Graphics2D g, Panel p, double x, double y, double w, double h) {
        if (w <= 0 || h <= 0) {
            return;
        }
        Object interpolation = g.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        BufferedImage img = p.image();
        AffineTransform place = AffineTransform.getTranslateInstance(x, y);
        place.scale(w / img.getWidth(), h / img.getHeight());
        g.drawImage(img, place, null);
        if (interpolation != null) {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
        }
        g.setFont(LETTER_FONT);
        g.setPaint(Color.WHITE);
        FontMetrics fm = g.getFontMetrics();
        float middle = (float) (y + h / 2 + (fm.getAscent() - fm.getDescent()) / 2.0);
        g.drawString(p.left, (float) (x + 4), middle);
        g.drawString(p.right, (float) (x + w - 4 - fm.stringWidth(p.right)), middle);
        g.drawString(p.top, (float) (x + w / 2 - fm.stringWidth(p.top) / 2.0), (float) (y + 4 + fm.getAscent()));
        g.drawString(p.bottom, (float) (x + w / 2 - fm.stringWidth(p.bottom) / 2.0),
                (float) (y + h - 4 - fm.getDescent()));
    }

    /** The colour key: one column per layer; with entropy, rows from certain (top) to uniform (bottom). */
    private void drawKey(Graphics2D g, double centreX, double top, double width) {
        int rows = entropy == null ? 1 : KEY_ENTROPY_ROWS;
        double rowHeight = entropy == null ? 16 : 8;
        double cell = width / layerCount;
        double left = centreX - width / 2;
        int[] palette = palette();
        for (int r = 0; r < rows; r++) {
            double e = rows == 1 ? 0 : r / (double) (rows - 1);
            for (int l = 0; l < layerCount; l++) {
                int rgb = entropy == null ? palette[l] : LayerColors.dimmed(palette[l], e);
                g.setPaint(new Color(rgb));
                // cells overlap by a hair so that no background seam shows between them
                g.fill(new Rectangle2D.Double(left + l * cell, top + r * rowHeight, cell + 0.5, rowHeight + 0.5));
            }
        }
        double bottom = top + rows * rowHeight;
        g.setPaint(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(0.8f));
        g.draw(new Rectangle2D.Double(left, top, width, rows * rowHeight));
        g.setFont(ChartStyle.TICK_FONT);
        g.setPaint(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        for (int l : keyTicks()) {
            double cx = left + (l + 0.5) * cell;
            g.draw(new java.awt.geom.Line2D.Double(cx, bottom, cx, bottom + 4));
            drawCentred(g, Integer.toString(l + 1), cx, bottom + 5 + fm.getAscent());
        }
        g.setFont(ChartStyle.AXIS_LABEL_FONT);
        drawCentred(g, "preferred layer (1 = first, " + layerCount + " = last)", centreX,
                bottom + 10 + fm.getHeight() + g.getFontMetrics().getAscent());
        if (entropy != null) {
            g.setFont(ChartStyle.TICK_FONT);
            g.drawString("entropy 0", (float) (left + width + 6), (float) (top + fm.getAscent() - 2));
            g.drawString("entropy 1", (float) (left + width + 6), (float) bottom);
        }
    }

    /** Layers to label under the key: first, last and evenly spaced ones between, at most about eight. */
    private List<Integer> keyTicks() {
        List<Integer> ticks = new ArrayList<>();
        int step = Math.max(1, (int) Math.ceil((layerCount - 1) / 7.0));
        for (int l = 0; l < layerCount; l += step) {
            ticks.add(l);
        }
        if (ticks.get(ticks.size() - 1) != layerCount - 1) {
            if (layerCount - 1 - ticks.get(ticks.size() - 1) < step / 2.0) {
                ticks.remove(ticks.size() - 1);
            }
            ticks.add(layerCount - 1);
        }
        return ticks;
    }

    private static void drawCentred(Graphics2D g, String text, double cx, double baseline) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(text, (float) (cx - fm.stringWidth(text) / 2.0), (float) baseline);
    }

    @Override
    public String csv() {
        List<String> header = new ArrayList<>(List.of("panel", "i", "j", "k", "preferred_layer", "entropy"));
        if (background != null) {
            header.add("background");
        }
        CsvTable table = new CsvTable(header);
        for (Panel p : panels) {
            for (int r = 0; r < p.rows; r++) {
                for (int c = 0; c < p.columns; c++) {
                    int[] v = p.voxel(c, r);
                    float layer = layers.value(v[0], v[1], v[2]);
                    if (Float.isNaN(layer)) {
                        continue;
                    }
                    Object e = entropy == null ? null : entropy.value(v[0], v[1], v[2]);
                    if (background == null) {
                        table.row(PANEL_NAMES[p.kind], v[0], v[1], v[2], layer, e);
                    } else {
                        table.row(PANEL_NAMES[p.kind], v[0], v[1], v[2], layer, e, background.value(v[0], v[1], v[2]));
                    }
                }
            }
        }
        return table.text();
    }

    // ---- checks and defaults ------------------------------------------------------------------------------------

    private void checkLayers() {
        float[] v = layers.values();
        int[] d = layers.dims();
        for (int n = 0; n < v.length; n++) {
            float l = v[n];
            if (Float.isNaN(l)) {
                continue;
            }
            if (!(l > -0.5 && l < layerCount - 0.5) || Math.abs(l - Math.rint(l)) > LAYER_TOLERANCE) {
                throw new IllegalArgumentException("the preferred layer " + l + " at voxel " + ijk(n, d)
                        + " is not one of the 0-based layers 0.." + (layerCount - 1));
            }
        }
        for (BrainVolume other : new BrainVolume[] { entropy, background }) {
            if (other != null && !other.sameGrid(layers)) {
                throw new IllegalArgumentException("a brain figure needs all its volumes on one grid: " + other
                        + " does not match the preferred layers' " + layers);
            }
        }
    }

    private void checkEntropy() {
        if (entropy == null) {
            return;
        }
        float[] v = entropy.values();
        for (int n = 0; n < v.length; n++) {
            // a normalised entropy computed in float32 may overshoot [0, 1] by rounding, not by more
            if (!Float.isNaN(v[n]) && !(v[n] >= -1e-4 && v[n] <= 1 + 1e-4)) {
                throw new IllegalArgumentException("the entropy " + v[n] + " at voxel " + ijk(n, entropy.dims())
                        + " is outside [0, 1]; a brain figure needs normalised entropy");
            }
        }
    }

    private static String ijk(int n, int[] d) {
        return "(" + n % d[0] + ", " + (n / d[0]) % d[1] + ", " + n / (d[0] * d[1]) + ")";
    }

    /** Per voxel axis, the slice holding the most voxels with a preferred layer; the centre if there are none. */
    private int[] busiestSlices() {
        int[] d = layers.dims();
        int[][] counts = { new int[d[0]], new int[d[1]], new int[d[2]] };
        float[] v = layers.values();
        int n = 0;
        for (int k = 0; k < d[2]; k++) {
            for (int j = 0; j < d[1]; j++) {
                for (int i = 0; i < d[0]; i++, n++) {
                    if (!Float.isNaN(v[n])) {
                        counts[0][i]++;
                        counts[1][j]++;
                        counts[2][k]++;
                    }
                }
            }
        }
        int[] best = new int[3];
        for (int a = 0; a < 3; a++) {
            int centre = (d[a] - 1) / 2;
            best[a] = centre;
            for (int s = 0; s < d[a]; s++) {
                // ties go to the slice nearer the centre
                if (counts[a][s] > counts[a][best[a]]
                        || counts[a][s] == counts[a][best[a]] && Math.abs(s - centre) < Math.abs(best[a] - centre)) {
                    best[a] = s;
                }
            }
        }
        return best;
    }

    /** The 2nd and 98th percentile of the finite values: robust grey limits for an anatomical image. */
    private static double[] percentiles(float[] values) {
        float[] finite = new float[values.length];
        int n = 0;
        for (float v : values) {
            if (!Float.isNaN(v) && !Float.isInfinite(v)) {
                finite[n++] = v;
            }
        }
        if (n == 0) {
            return new double[] { 0, 1 };
        }
        Arrays.sort(finite, 0, n);
        double low = finite[(int) Math.floor(0.02 * (n - 1))];
        double high = finite[(int) Math.ceil(0.98 * (n - 1))];
        if (!(high > low)) {
            high = low + 1;
        }
        return new double[] { low, high };
    }
}
