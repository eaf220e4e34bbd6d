package org.brainalign.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.brainalign.core.analysis.ModelComparison;
import org.brainalign.io.AtomicFile;
import org.brainalign.workflow.report.ReportFigure;
import org.brainalign.io.run.RunFolder;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * What a finished grid shows: the comparison of every cell (per-ROI mean depth, alignment slope, b0, b1, score), the
 * backbone table and the family table the paper draws (one row per backbone or family: its size, and the mean and
 * standard deviation of each measure across subjects and seeds), their charts, and the sweep's HTML report.
 */
public final class SweepSummary {

    /** The measures of one cell that the tables average. */
    private static final List<String> MEASURES = List.of("slope", "b0", "b1", "mean_r2");

    /**
     * One cell's measures.
     *
     * @param cell the cell
     * @param family the backbone's family
     * @param layers the backbone's blocks
     * @param channels the backbone's width
     * @param values slope, b0, b1, mean R^2
     */
    record CellMeasures(SweepCell cell, String family, int layers, int channels, double[] values) {
    }

    private SweepSummary() {
    }

    /**
     * Writes comparison.csv, backbones.csv and families.csv with their charts, and report.html into the sweep's report
     * folder.
     *
     * @param plan the plan
     * @param folder its folder, every cell published
     * @param monitor progress in runs
     * @return the files written
     * @throws IOException if a run cannot be read or a file written
     */
    public static List<Path> write(SweepPlan plan, SweepFolder folder, IProgressMonitor monitor) throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, "Summarising the sweep", 10);
        List<RunFolder> runs = new ArrayList<>();
        for (SweepCell c : plan.cells()) {
            runs.add(RunFolder.open(folder.run(c)));
        }
        Path out = folder.reportFolder();
        ModelComparison comparison = SweepPipeline.compare(runs, out);
        List<CellMeasures> cells = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunFolder run = runs.get(i);
            ModelComparison.Row row = comparison.rows().get(i);
            Map<String, Object> backbone = run.info().backbone();
            cells.add(new CellMeasures(plan.cells().get(i), String.valueOf(backbone.get("family")),
                    ((Number) backbone.get("layers")).intValue(), ((Number) backbone.get("channels")).intValue(),
                    new double[] { row.slope(), row.b0(), row.b1(),
                            ((Number) run.info().metrics().get("mean_r2")).doubleValue() }));
        }
        List<Path> written = new ArrayList<>();
        written.add(out.resolve("comparison.csv"));
        Map<String, Map<String, Double>> byBackbone = table(out.resolve("backbones.csv"), "backbone", cells, c -> c
                .cell().backbone());
        Map<String, Map<String, Double>> byFamily = table(out.resolve("families.csv"), "family", cells,
                CellMeasures::family);
        List<ReportFigure> figures = List.of(SweepPipeline.bars(out, "backbones", "Alignment per backbone (mean"
                + " across subjects and seeds; spread in backbones.csv)", "alignment", byBackbone), SweepPipeline
                        .bars(out, "families", "Alignment per family (mean across subjects, seeds and backbones;"
                                + " spread in families.csv)", "alignment", byFamily));
        for (String name : List.of("backbones", "families")) {
            written.add(out.resolve(name + ".csv"));
            written.add(out.resolve(name + ".png"));
            written.add(out.resolve(name + ".svg"));
        }
        sub.split(2);
        Path report = out.resolve("report.html");
        SweepPipeline.report(report, runs, figures, sub.split(8));
        written.add(report);
        return written;
    }

    /**
     * Writes one row per group: its cells, the sizes seen, and each measure's mean and standard deviation (n - 1)
     * across the group's subjects and seeds; returns the means of slope, b0 and b1 per group, for the chart.
     */
    static Map<String, Map<String, Double>> table(Path file, String key, List<CellMeasures> cells,
            Function<CellMeasures, String> group) throws IOException {
        Map<String, Map<String, Double>> means = new LinkedHashMap<>();
        Map<String, List<CellMeasures>> groups = new LinkedHashMap<>();
        for (CellMeasures c : cells) {
            groups.computeIfAbsent(group.apply(c), k -> new ArrayList<>()).add(c);
        }
        StringBuilder csv = new StringBuilder(key + ",cells,layers,channels");
        for (String m : MEASURES) {
            csv.append(',').append(m).append("_mean,").append(m).append("_sd");
        }
        csv.append('\n');
        for (Map.Entry<String, List<CellMeasures>> g : groups.entrySet()) {
            List<CellMeasures> members = g.getValue();
            csv.append(g.getKey()).append(',').append(members.size()).append(',')
                    .append(sizes(members, CellMeasures::layers)).append(',')
                    .append(sizes(members, CellMeasures::channels));
            for (int m = 0; m < MEASURES.size(); m++) {
                double[] v = new double[members.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = members.get(i).values()[m];
                }
                double[] meanSd = meanAndSd(v);
                if (m < 3) {
                    means.computeIfAbsent(g.getKey(), k -> new LinkedHashMap<>()).put(MEASURES.get(m), meanSd[0]);
                }
                csv.append(String.format(Locale.ROOT, ",%.6f,%.6f", meanSd[0], meanSd[1]));
            }
            csv.append('\n');
        }
        AtomicFile.write(file, o -> o.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
        return means;
    }

    private static String sizes(List<CellMeasures> members, Function<CellMeasures, Integer> size) {
        return String.join(" ", members.stream().map(size).distinct().map(String::valueOf).toList());
    }

    /**
     * @param v values
     * @return their mean and sample standard deviation (NaN for fewer than two values)
     */
    static double[] meanAndSd(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        return new double[] { mean, v.length < 2 ? Double.NaN : Math.sqrt(ss / (v.length - 1)) };
    }
}
