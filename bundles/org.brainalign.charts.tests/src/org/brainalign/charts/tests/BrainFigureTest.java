package org.brainalign.charts.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import org.brainalign.charts.BrainFigure;
import org.brainalign.charts.BrainFigure.Convention;
import org.brainalign.charts.BrainVolume;
import org.brainalign.charts.ChartRendering;
import org.brainalign.charts.LayerColors;
import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The brain figure against planted volumes: a brain whose left half prefers the first layer and right half the last
 * must show blue beside the letter L and red beside R, whatever the storage order and display convention.
 */
public class BrainFigureTest {

    private static final int LAYERS = 12;
    private static final int[] DIMS = { 20, 24, 16 };
    private static final double[] SIZES = { 2, 2, 2.5 };

    /** Index of the voxel axis that lies along R/L in an orientation code, and whether it increases towards R. */
    private static int leftRightAxis(String code) {
        return Math.max(code.indexOf('R'), code.indexOf('L'));
    }

    /** Left half (towards the subject's L) layer 0, right half the last layer; worked out from the code alone. */
    private static BrainVolume leftBlueRightRed(String code) {
        int axis = leftRightAxis(code);
        boolean towardsRight = code.charAt(axis) == 'R';
        float[] v = new float[DIMS[0] * DIMS[1] * DIMS[2]];
        int n = 0;
        for (int k = 0; k < DIMS[2]; k++) {
            for (int j = 0; j < DIMS[1]; j++) {
                for (int i = 0; i < DIMS[0]; i++, n++) {
                    int index = new int[] { i, j, k }[axis];
                    boolean lowHalf = index < DIMS[axis] / 2;
                    // a low index is on the left when the axis runs towards R, on the right when it runs towards L
                    boolean left = towardsRight == lowHalf;
                    v[n] = left ? 0 : LAYERS - 1;
                }
            }
        }
        return new BrainVolume(DIMS, SIZES, code, v);
    }

    private static boolean blue(int rgb) {
        return (rgb & 0xFF) > (rgb >> 16 & 0xFF) + 60;
    }

    private static boolean red(int rgb) {
        return (rgb >> 16 & 0xFF) > (rgb & 0xFF) + 60;
    }

    @Test
    public void blueSitsBesideTheLetterLInEveryStorageOrderAndConvention() {
        for (String code : new String[] { "RAS", "LPS", "AIL", "PRI" }) {
            for (Convention convention : Convention.values()) {
                BrainFigure figure = BrainFigure.builder(leftBlueRightRed(code), LAYERS).optConvention(convention)
                        .build();
                Dimension size = figure.preferredSize();
                BufferedImage png = ChartTestSupport.decodePng(ChartRendering.png(figure, size.width, size.height));
                Document svg = ChartTestSupport.parseSvg(ChartRendering.svg(figure, size.width, size.height));
                List<Element> ls = letters(svg, "L");
                List<Element> rs = letters(svg, "R");
                // axial and coronal panels show left and right; sagittal shows anterior and posterior
                assertEquals(2, ls.size(), code + " " + convention);
                assertEquals(2, rs.size(), code + " " + convention);
                for (int panel = 0; panel < 2; panel++) {
                    double xl = Double.parseDouble(ls.get(panel).getAttribute("x"));
                    double xr = Double.parseDouble(rs.get(panel).getAttribute("x"));
                    assertEquals(convention == Convention.NEUROLOGICAL, xl < xr,
                            "neurological puts L on the left, radiological on the right");
                    // halfway between each letter and the panel's middle, on the letters' line
                    int y = (int) Math.round(Double.parseDouble(ls.get(panel).getAttribute("y"))) - 5;
                    int nearL = (int) Math.round(xl + (xr - xl) / 4);
                    int nearR = (int) Math.round(xl + 3 * (xr - xl) / 4);
                    String where = code + " " + convention + " panel " + panel;
                    assertTrue(blue(png.getRGB(nearL, y)), where + ": blue beside L, found "
                            + Integer.toHexString(png.getRGB(nearL, y)));
                    assertTrue(red(png.getRGB(nearR, y)), where + ": red beside R, found "
                            + Integer.toHexString(png.getRGB(nearR, y)));
                }
                for (String letter : new String[] { "A", "P", "S", "I" }) {
                    assertTrue(!letters(svg, letter).isEmpty(), "letter " + letter + " on some panel");
                }
            }
        }
    }

    private static List<Element> letters(Document svg, String letter) {
        List<Element> out = new ArrayList<>();
        for (Element t : ChartTestSupport.elements(svg, "text")) {
            if (t.getTextContent().equals(letter)) {
                out.add(t);
            }
        }
        return out;
    }

    @Test
    public void firstAndLastLayerColoursAreDrawnExactlyAndEntropyDims() {
        BrainVolume layers = leftBlueRightRed("RAS");
        float[] e = new float[layers.values().length];
        int half = 0;
        for (int n = 0; n < e.length; n++) {
            // the back half (low j, posterior in RAS) uniform, the front half certain
            int j = (n / DIMS[0]) % DIMS[1];
            e[n] = j < DIMS[1] / 2 ? 1f : 0f;
            half += j < DIMS[1] / 2 ? 1 : 0;
        }
        assertTrue(half > 0);
        BufferedImage plain = ChartTestSupport.decodePng(BrainFigure.builder(layers, LAYERS).build().png());
        assertTrue(ChartTestSupport.count(plain, LayerColors.layerRgb(0, LAYERS), 0, 0, 10_000, 10_000) > 500);
        assertTrue(ChartTestSupport.count(plain, LayerColors.layerRgb(LAYERS - 1, LAYERS), 0, 0, 10_000, 10_000) > 500);
        BrainFigure dimmed = BrainFigure.builder(layers, LAYERS).optEntropy(new BrainVolume(DIMS, SIZES, "RAS", e))
                .build();
        BufferedImage png = ChartTestSupport.decodePng(dimmed.png());
        for (int rgb : new int[] { LayerColors.dimmed(LayerColors.layerRgb(0, LAYERS), 0),
                LayerColors.dimmed(LayerColors.layerRgb(0, LAYERS), 1),
                LayerColors.dimmed(LayerColors.layerRgb(LAYERS - 1, LAYERS), 0),
                LayerColors.dimmed(LayerColors.layerRgb(LAYERS - 1, LAYERS), 1) }) {
            // the panels are scaled with nearest-neighbour: whole voxels keep their colour exactly
            assertTrue(ChartTestSupport.count(png, rgb, 0, 0, 10_000, 10_000) > 200, Integer.toHexString(rgb));
        }
        // the uniform voxels are at a fifth of the layer colour's brightness
        assertEquals(0x0C0F26, LayerColors.dimmed(0x3B4CC0, 1));
    }

    @Test
    public void csvListsTheShownVoxelsWithTheirInputValues() {
        float[] v = new float[DIMS[0] * DIMS[1] * DIMS[2]];
        float[] e = new float[v.length];
        java.util.Arrays.fill(v, Float.NaN);
        // values only in slice k = 3 (and one voxel elsewhere), so the busiest axial slice is k = 3
        for (int j = 0; j < DIMS[1]; j++) {
            for (int i = 0; i < DIMS[0]; i++) {
                int n = i + DIMS[0] * (j + DIMS[1] * 3);
                v[n] = (i + j) % LAYERS;
                e[n] = (i * 7 + j) % 10 / 9.5f;
            }
        }
        BrainVolume layers = new BrainVolume(DIMS, SIZES, "RAS", v);
        BrainVolume entropy = new BrainVolume(DIMS, SIZES, "RAS", e);
        BrainFigure figure = BrainFigure.builder(layers, LAYERS).optEntropy(entropy).build();
        List<List<String>> csv = ChartTestSupport.parseCsv(figure.csv());
        assertEquals(List.of("panel", "i", "j", "k", "preferred_layer", "entropy"), csv.get(0));
        int axial = 0;
        for (List<String> row : csv.subList(1, csv.size())) {
            int i = Integer.parseInt(row.get(1));
            int j = Integer.parseInt(row.get(2));
            int k = Integer.parseInt(row.get(3));
            assertEquals(layers.value(i, j, k), Float.parseFloat(row.get(4)), 0);
            assertEquals(entropy.value(i, j, k), Float.parseFloat(row.get(5)), 0);
            if (row.get(0).equals("axial")) {
                assertEquals(3, k);
                axial++;
            }
        }
        assertEquals(DIMS[0] * DIMS[1], axial, "every voxel of the axial slice k = 3");
        List<String> texts = ChartTestSupport.texts(ChartTestSupport.parseSvg(figure.svg()));
        assertTrue(texts.contains("axial, k = 3"), texts.toString());
        assertEquals(3, ChartTestSupport.drawn(ChartTestSupport.parseSvg(figure.svg()), "image").size());
    }

    @Test
    public void backgroundShowsInGreyWhereNoLayerIsPreferred() {
        float[] v = new float[DIMS[0] * DIMS[1] * DIMS[2]];
        float[] anatomy = new float[v.length];
        java.util.Arrays.fill(v, Float.NaN);
        for (int n = 0; n < v.length; n++) {
            anatomy[n] = n % 100;
        }
        BrainFigure figure = BrainFigure.builder(new BrainVolume(DIMS, SIZES, "RAS", v), LAYERS)
                .optBackground(new BrainVolume(DIMS, SIZES, "RAS", anatomy)).optCrosshair(10, 12, 8).build();
        BufferedImage png = ChartTestSupport.decodePng(figure.png());
        int grey = ChartTestSupport.count(png, rgb -> {
            int r = rgb >> 16 & 0xFF;
            return r > 20 && r < 200 && r == (rgb >> 8 & 0xFF) && r == (rgb & 0xFF);
        }, 0, 0, png.getWidth(), png.getHeight());
        assertTrue(grey > 5000, "grey anatomy fills the panels: " + grey);
        assertEquals(1, ChartTestSupport.parseCsv(figure.csv()).size(), "no voxel has a layer: header only");
    }

    @Test
    public void volumesFromACoreGridTakeItsOrientationAndVoxelSizes() {
        // i towards L, j towards P, k towards S: x = -2 i, y = -2 j, z = 2.5 k
        VolumeGrid grid = new VolumeGrid(DIMS, Affine.ofRowMajor(-2, 0, 0, 0, 0, -2, 0, 0, 0, 0, 2.5, 0, 0, 0, 0, 1));
        BrainVolume v = BrainVolume.of(grid, new float[DIMS[0] * DIMS[1] * DIMS[2]]);
        assertEquals("LPS", v.orientation());
        assertEquals(2.5, v.voxelSize()[2], 1e-12);
    }

    @Test
    public void aStoredPreferredLayerMapBecomesZeroBasedLayers() {
        // run folders store layers 1 .. L and 0 outside the fitted voxels
        BrainVolume stored = new BrainVolume(new int[] { 4, 1, 1 }, new double[] { 1, 1, 1 }, "RAS",
                new float[] { 0, 1, 12, Float.NaN });
        float[] layers = stored.layersFromStoredMap().values();
        assertTrue(Float.isNaN(layers[0]));
        assertEquals(0f, layers[1]);
        assertEquals(11f, layers[2]);
        assertTrue(Float.isNaN(layers[3]));
        BrainFigure.builder(stored.layersFromStoredMap(), LAYERS).build();
    }

    @Test
    public void badVolumesAreRefusedWithTheVoxelNamed() {
        BrainVolume ok = leftBlueRightRed("RAS");
        float[] bad = ok.values().clone();
        bad[5 + DIMS[0] * (6 + DIMS[1] * 7)] = LAYERS;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrainFigure.builder(new BrainVolume(DIMS, SIZES, "RAS", bad), LAYERS).build());
        assertTrue(e.getMessage().contains("(5, 6, 7)"), e.getMessage());
        float[] half = ok.values().clone();
        half[0] = 0.5f;
        assertThrows(IllegalArgumentException.class,
                () -> BrainFigure.builder(new BrainVolume(DIMS, SIZES, "RAS", half), LAYERS).build());
        float[] entropy = new float[half.length];
        entropy[3] = 1.5f;
        assertThrows(IllegalArgumentException.class, () -> BrainFigure.builder(ok, LAYERS)
                .optEntropy(new BrainVolume(DIMS, SIZES, "RAS", entropy)).build());
        assertThrows(IllegalArgumentException.class, () -> BrainFigure.builder(ok, LAYERS)
                .optEntropy(new BrainVolume(DIMS, SIZES, "LAS", new float[half.length])).build());
        assertThrows(IllegalArgumentException.class, () -> new BrainVolume(DIMS, SIZES, "RAR", ok.values()));
        assertThrows(IllegalArgumentException.class, () -> new BrainVolume(DIMS, SIZES, "RAS", new float[3]));
        assertThrows(IllegalArgumentException.class, () -> BrainFigure.builder(ok, LAYERS).optCrosshair(20, 0, 0));
    }
}
