package org.brainalign.workflow.analysis.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.brainalign.core.analysis.Drift;
import org.brainalign.core.analysis.ModelComparison;
import org.brainalign.core.analysis.SelectorMaps;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.core.data.Roi;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunFolderException;
import org.brainalign.io.run.SelectorMap;
import org.brainalign.testing.SyntheticRun;
import org.brainalign.workflow.analysis.RunAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Analyse, drift and compare through run folders, with planted one-hot selectors whose results are known. */
public class RunAnalysisTest {

    @TempDir
    Path tmp;

    private final VolumeGrid grid = new VolumeGrid(new int[] { 4, 4, 4 }, Affine.scaling(2, 2, 2));
    private final VoxelSet voxels = VoxelSet.ofVolume(grid, new int[] { 5, 9, 12, 40, 63, 0 });
    /** V1 at t = 0, FFA at t = 1 (standard hierarchy); RSC is off the hierarchy and not a default ROI. */
    private final List<Roi> rois = List.of(new Roi("RSC", new int[] { 5 }), new Roi("FFA", new int[] { 2, 3 }),
            new Roi("V1", new int[] { 0, 1 }));

    private static SelectorMaps oneHot(int layers, float r2, int... preferred) {
        int n = preferred.length;
        float[][] p = new float[n][layers];
        float[] zero = new float[n];
        float[] score = new float[n];
        for (int v = 0; v < n; v++) {
            p[v][preferred[v]] = 1;
            score[v] = r2;
        }
        return SelectorMaps.of(p, zero, zero, zero, score, null);
    }

    @Test
    public void analysisWritesTheMapsAndTheTablesOfEveryRoiAndVoxel() throws IOException {
        VolumeGrid lasGrid = new VolumeGrid(new int[] { 6, 5, 4 },
                Affine.ofRowMajor(-2, 0, 0, 90, 0, 2.5, 0, -126, 0, 0, 3, -72));
        RunFolder run = SyntheticRun.create(tmp.resolve("run-a"), "clip subj01", SyntheticRun.voxels(lasGrid, 37, 3),
                null, SyntheticRun.selectors(37, 4, 5),
                List.of(new Roi("V1", new int[] { 0, 5, 9 }), new Roi("FFA", new int[] { 1, 2 })));
        RunAnalysis.analyze(run, null);
        for (SelectorMap map : SelectorMap.values()) {
            assertTrue(Files.isRegularFile(run.mapFile(map)), map.stem());
        }
        String roisCsv = Files.readString(run.folder().resolve("tables/rois.csv"));
        assertTrue(roisCsv.startsWith("roi,voxels,t,mean_depth"), roisCsv);
        assertEquals(3 + 1, roisCsv.lines().count(), "V1, FFA and all voxels");
        assertEquals(37 + 1, Files.readAllLines(run.folder().resolve("tables/voxels.csv")).size());
        assertTrue(Files.exists(run.folder().resolve("tables/alignment.csv")));
    }

    @Test
    public void analysisUsesTheDefaultRoisInThePapersOrder() throws IOException {
        // L = 5: V1 voxels at layer 1 (depth 0.25), FFA voxels at layer 3 (depth 0.75): slope 0.5, b0 0.25
        RunFolder run = SyntheticRun.create(tmp.resolve("a"), "a", voxels, null, oneHot(5, 0.2f, 1, 1, 3, 3, 0, 4),
                rois);
        SelectorSummary s = RunAnalysis.analyze(run, null);
        assertEquals(List.of("V1", "FFA"), s.rois().stream().map(r -> r.name()).toList());
        assertEquals(0.5, s.alignment().slope(), 1e-15);
        assertEquals(0.25, s.alignment().b0(), 1e-15);
        String alignment = Files.readString(run.folder().resolve("tables/alignment.csv"));
        assertEquals("run,layers,hierarchy,points,slope,b0,b1,fit_r2", alignment.lines().findFirst().orElseThrow());
        assertTrue(alignment.contains("a,5,"), alignment);
        assertTrue(alignment.strip().endsWith(",4,0.5,0.25,0.75,1.0"), alignment);
        List<String> roiRows = Files.readAllLines(run.folder().resolve("tables/rois.csv"));
        assertTrue(roiRows.get(1).startsWith("V1,2,0.0,0.25,0.0,0.25,0.25,0.25,0.0,"), roiRows.get(1));
        assertTrue(roiRows.get(1).endsWith(",0,2,0,0,0"), "both V1 voxels prefer layer 2 of 5: " + roiRows.get(1));
        assertTrue(roiRows.get(3).startsWith("all voxels,6,,"), roiRows.get(3));
        // voxel 0 is grid index 5 = (1, 1, 0) at (2, 2, 0) mm, in V1, layer 2 of 5, R^2 0.2, Pearson r not scored
        List<String> voxelRows = Files.readAllLines(run.folder().resolve("tables/voxels.csv"));
        assertEquals("voxel,index,i,j,k,x_mm,y_mm,z_mm,rois,preferred_layer,expected_depth,entropy,x,y,scale,r2,"
                + "pearson_r,p_layer_1,p_layer_2,p_layer_3,p_layer_4,p_layer_5", voxelRows.get(0));
        assertEquals("0,5,1,1,0,2.0,2.0,0.0,V1,2,0.25,0.0,0.0,0.0,0.0,0.2,NaN,0.0,1.0,0.0,0.0,0.0", voxelRows.get(1));
        assertTrue(voxelRows.get(6).startsWith("5,0,0,0,0,0.0,0.0,0.0,,5,1.0,"),
                "RSC is not among the analysed ROIs: " + voxelRows.get(6));
        // a run whose ROIs have none of the default names is analysed over all its ROIs
        RunFolder other = SyntheticRun.create(tmp.resolve("b"), "b", voxels, null, oneHot(2, 0, 0, 0, 0, 0, 0, 0),
                List.of(new Roi("Calcarine", new int[] { 0 })));
        assertEquals(List.of("Calcarine"), RunAnalysis.defaultRois(other).stream().map(Roi::name).toList());
    }

    @Test
    public void runsOfOneNameInTwoProjectsAreToldApartByWhereTheyLie() throws IOException {
        RunFolder first = SyntheticRun.create(tmp.resolve("p1/runs/demo"), "demo", voxels, null,
                oneHot(4, 0.25f, 0, 0, 1, 1, 2, 2), rois);
        RunFolder second = SyntheticRun.create(tmp.resolve("p2/runs/demo"), "demo", voxels, null,
                oneHot(4, 0.5f, 0, 0, 3, 3, 2, 2), rois);
        RunFolder other = SyntheticRun.create(tmp.resolve("p2/runs/other"), "other", voxels, null,
                oneHot(4, 0.5f, 0, 0, 3, 3, 2, 2), rois);
        assertEquals(List.of("demo (p1/runs/demo)", "other", "demo (p2/runs/demo)"),
                RunAnalysis.labels(List.of(first, other, second)));
        Drift drift = RunAnalysis.drift(first, second, null, null);
        assertEquals("demo (p1/runs/demo)", drift.before().label());
        assertEquals("demo (p2/runs/demo)", drift.after().label());
        assertEquals(2 / 3.0, drift.rois().get(1).depthShift(), 1e-15, "the same FFA shift as between pre and ft");
    }

    @Test
    public void driftAndComparisonOfRunFolders() throws IOException {
        RunFolder before = SyntheticRun.create(tmp.resolve("pre"), "clip", voxels, null,
                oneHot(4, 0.25f, 0, 0, 1, 1, 2, 2), rois);
        RunFolder after = SyntheticRun.create(tmp.resolve("ft"), "clip", voxels, null,
                oneHot(4, 0.5f, 0, 0, 3, 3, 2, 2), rois);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Drift drift = RunAnalysis.drift(before, after, null, out);
        Drift.RoiDrift ffa = drift.rois().get(1);
        assertEquals("FFA", ffa.roi());
        assertEquals(2 / 3.0, ffa.depthShift(), 1e-15);
        assertEquals(1, ffa.changedShare());
        assertEquals(Math.log(2), ffa.meanJensenShannon(), 1e-15);
        assertEquals(2 / 3.0, drift.slopeChange(), 1e-15);
        assertEquals("clip (pre)", drift.before().label(), "repeated labels get their folder's name");
        List<String> csv = Files.readAllLines(out.resolve("drift.csv"));
        assertEquals("roi,voxels,mean_depth_before,mean_depth_after,depth_shift,changed_share,mean_js,"
                + "mean_r2_before,mean_r2_after,r2_change", csv.get(0));
        assertTrue(csv.get(2).startsWith("FFA,2,0.3333333333333333,1.0,0.6666666666666667,1.0,0.6931471805599453,"),
                csv.get(2));
        assertTrue(Files.readString(out.resolve("drift_summary.csv")).contains("slope,0.3333333333333333,1.0,"));

        ModelComparison c = RunAnalysis.compare(List.of(before, after), null, out);
        assertEquals(List.of("V1", "FFA"), c.roiNames());
        assertEquals(1.0, c.rows().get(1).meanDepth("FFA"), 1e-15);
        List<String> comparison = Files.readAllLines(out.resolve("comparison.csv"));
        assertEquals("run,layers,voxels,slope,b0,b1,fit_r2,mean_r2,depth_V1,depth_FFA", comparison.get(0));
        assertTrue(comparison.get(2).startsWith("clip (ft),4,6,1.0,0.0,1.0,1.0,0.5,0.0,1.0"), comparison.get(2));
    }

    @Test
    public void driftRefusesRunsOfOtherVoxelsOrDepths() throws IOException {
        RunFolder a = SyntheticRun.create(tmp.resolve("a"), "a", voxels, null, oneHot(4, 0, 0, 0, 1, 1, 2, 2), rois);
        RunFolder shuffled = SyntheticRun.create(tmp.resolve("b"), "b",
                VoxelSet.ofVolume(grid, new int[] { 9, 5, 12, 40, 63, 0 }), null, oneHot(4, 0, 0, 0, 1, 1, 2, 2),
                rois);
        RunFolderException e = assertThrows(RunFolderException.class, () -> RunAnalysis.drift(a, shuffled, null,
                null));
        assertTrue(e.getMessage().contains("not fits of the same voxels")
                && e.getMessage().contains("not the same voxels in the same order"), e.getMessage());
        RunFolder deeper = SyntheticRun.create(tmp.resolve("c"), "c", voxels, null, oneHot(6, 0, 0, 0, 1, 1, 2, 2),
                rois);
        e = assertThrows(RunFolderException.class, () -> RunAnalysis.drift(a, deeper, null, null));
        assertTrue(e.getMessage().contains("4 and 6 layers"), e.getMessage());
    }
}
