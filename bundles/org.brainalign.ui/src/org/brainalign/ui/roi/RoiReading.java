package org.brainalign.ui.roi;

import java.util.List;
import java.util.Optional;

import org.brainalign.core.analysis.RoiSummary;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.data.Roi;
import org.brainalign.ui.runs.LoadedRun;

/**
 * An ROI reading is what an ROI view shows of one region of interest of a run: its summary from the analysis
 * ({@link RoiSummary}: voxel count, preferred-layer histogram, depth, scale, scores) and its selection grid, the
 * number of its voxels whose image position (x, y) falls in each cell of the 8 x 8 grid the local tokens are sampled
 * from. x runs along the grid's width and y along its height, both from -1 at the first edge (left, top) to 1 at the
 * other, as the space selector and grid_sample define them (MODEL.md); a position on a cell border counts in the
 * cell to its right or below.
 */
public final class RoiReading {

    /** The side of the grid the local tokens are resized to before any fitting. */
    public static final int GRID = 8;

    private final String runLabel;
    private final Roi roi;
    private final RoiSummary summary;
    private final int layerCount;
    private final int[][] cells;
    private final int maxCount;

    private RoiReading(String runLabel, Roi roi, RoiSummary summary, int layerCount, int[][] cells) {
        this.runLabel = runLabel;
        this.roi = roi;
        this.summary = summary;
        this.layerCount = layerCount;
        this.cells = cells;
        int max = 0;
        for (int[] row : cells) {
            for (int c : row) {
                max = Math.max(max, c);
            }
        }
        this.maxCount = max;
    }

    /**
     * Reads an ROI of a run.
     *
     * @param run the run
     * @param roi one of its ROIs
     * @return the reading
     */
    public static RoiReading of(LoadedRun run, Roi roi) {
        SelectorMaps maps = run.maps();
        int[][] cells = new int[GRID][GRID];
        for (int n : roi.members()) {
            cells[cell(maps.y(n))][cell(maps.x(n))]++;
        }
        return new RoiReading(run.label(), roi, RoiSummary.of(roi, maps), maps.layerCount(), cells);
    }

    /**
     * @param coordinate an image position along one axis, -1 to 1
     * @return the grid cell it falls in, 0 to {@value #GRID} - 1 (positions beyond the edges count in the edge cells)
     */
    public static int cell(double coordinate) {
        int c = (int) Math.floor((coordinate + 1) / 2 * GRID);
        return Math.max(0, Math.min(GRID - 1, c));
    }

    /** @return the run's name */
    public String runLabel() {
        return runLabel;
    }

    /** @return the ROI */
    public Roi roi() {
        return roi;
    }

    /** @return the ROI's summary */
    public RoiSummary summary() {
        return summary;
    }

    /** @return the number of layers L of the run */
    public int layerCount() {
        return layerCount;
    }

    /**
     * @param row a grid row, 0 (top) to 7
     * @param column a grid column, 0 (left) to 7
     * @return the number of the ROI's voxels whose (x, y) falls in that cell
     */
    public int count(int row, int column) {
        return cells[row][column];
    }

    /** @return the largest count of any cell (0 for an empty ROI) */
    public int maxCount() {
        return maxCount;
    }

    /**
     * What the view shows of one voxel of the run.
     *
     * @param position its position in the run's voxel set
     * @param voxel its indices (i, j, k) in the run's grid, or null for surface runs
     * @param inRoi whether it belongs to this ROI
     * @param rois the names of the run's ROIs it belongs to (this one among them when inRoi), in the run's order
     * @param x its image position x
     * @param y its image position y
     * @param layerWeights its layer weights p(n, l)
     * @param preferredLayer its preferred layer, 0-based
     * @param scale its scale s
     * @param r2 its R^2 on held-out images
     */
    public record Voxel(int position, int[] voxel, boolean inRoi, List<String> rois, double x, double y,
            double[] layerWeights, int preferredLayer, double scale, double r2) {

        /** @return the grid row its y falls in */
        public int row() {
            return cell(y);
        }

        /** @return the grid column its x falls in */
        public int column() {
            return cell(x);
        }
    }

    /**
     * @param run the run this reading is of
     * @param position a voxel position in the run's voxel set, or -1
     * @return what the view shows of that voxel, or empty for -1
     */
    public Optional<Voxel> voxel(LoadedRun run, int position) {
        if (position < 0 || position >= run.maps().voxelCount()) {
            return Optional.empty();
        }
        SelectorMaps m = run.maps();
        List<String> in = run.rois().stream().filter(r -> r.contains(position)).map(Roi::name).toList();
        return Optional.of(new Voxel(position, run.voxelOf(position).orElse(null), roi.contains(position), in,
                m.x(position),
                m.y(position), m.layerWeights(position), m.preferredLayer(position), m.scale(position),
                m.r2(position)));
    }
}
