package org.brainalign.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Manifest;

import org.brainalign.charts.ChartFigure;
import org.brainalign.charts.ModelComparisonChart;
import org.brainalign.workflow.ImageList;
import org.brainalign.workflow.FigureFormat;
import org.brainalign.workflow.FitWorkflow;
import org.brainalign.workflow.RunCharts;
import org.brainalign.core.analysis.Hierarchy;
import org.brainalign.core.analysis.ModelComparison;
import org.brainalign.core.analysis.SelectorSummary;
import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.backbone.PositionInterpolation;
import org.brainalign.engine.factortopy.TrainingConfig;
import org.brainalign.engine.features.Extractor;
import org.brainalign.workflow.report.ReportFigure;
import org.brainalign.workflow.report.RunReport;
import org.brainalign.workflow.analysis.RunAnalysis;
import org.brainalign.io.run.RunFolder;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * The sweep's only door to the fit pipeline: a store is extracted as `brainalign extract` does, a cell is fitted and
 * analysed as `brainalign fit` does (the same workflow classes, the same defaults), and the sweep's report is written
 * by the run report. Everything else in the sweep sees only paths, so the pipeline can move between bundles by
 * changing the imports here.
 */
public final class SweepPipeline {

    private SweepPipeline() {
    }

    /**
     * @param source the plan's image folder or list file
     * @return the image files, in order
     * @throws IOException if the source holds no image
     */
    public static List<Path> images(Path source) throws IOException {
        return ImageList.of(source);
    }

    /**
     * Extracts a backbone's features over the plan's images, as `brainalign extract` with the plan's options does.
     *
     * @param backbone the backbone
     * @param images the image files
     * @param store the store folder to write
     * @param options the plan's options
     * @param monitor progress in images
     * @throws IOException if the checkpoint or an image is unusable, naming it
     */
    public static void extract(SweepPlan.Backbone backbone, List<Path> images, Path store, SweepPlan.Options options,
            IProgressMonitor monitor) throws IOException {
        new Extractor().extract(new Extractor.Request(backbone.checkpoint(), backbone.family(), images, store,
                options.batch(), DevicePreference.AUTO, options.inputSize(), options.imagenetNorm(),
                PositionInterpolation.HUGGING_FACE, Extractor.OnUnreadable.STOP), monitor);
    }

    /**
     * Fits one cell and analyses it (maps, tables, PNG and SVG charts), as `brainalign fit` does.
     *
     * @param store the backbone's feature store
     * @param subject the subject.json
     * @param run the run folder to create
     * @param label the run's label
     * @param seed the seed
     * @param threads worker threads of the fit
     * @param options the plan's options
     * @param monitor progress
     * @return the held-out mean R^2
     * @throws IOException if an input is unusable
     */
    public static double fit(Path store, Path subject, Path run, String label, long seed, int threads,
            SweepPlan.Options options, IProgressMonitor monitor) throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, "Fitting " + label, 100);
        TrainingConfig config = TrainingConfig.builder().optMaxEpochs(options.epochs())
                .optPatience(options.patience()).optThreads(threads).optSeed(seed)
                .optNanPolicy(options.dropNanVoxels()
                        ? TrainingConfig.NanPolicy.DROP_VOXELS
                        : TrainingConfig.NanPolicy.STOP)
                .build();
        FitWorkflow.Outcome outcome = FitWorkflow.fit(new FitWorkflow.Request(store, subject, run, label, config,
                options.testFraction(), false), version(), sub.split(90));
        SelectorSummary summary = RunAnalysis.analyze(outcome.run(), sub.split(5));
        RunCharts.save(outcome.run(), summary, List.of("png", "svg"));
        sub.split(5);
        return outcome.meanR2();
    }

    /**
     * Compares runs (per-ROI depth, alignment, score) into comparison.csv.
     *
     * @param runs the runs, in table order
     * @param folder where comparison.csv goes
     * @return the comparison
     * @throws IOException if a run cannot be read
     */
    public static ModelComparison compare(List<RunFolder> runs, Path folder) throws IOException {
        return RunAnalysis.compare(runs, Hierarchy.standard(), folder);
    }

    /**
     * Writes the HTML report of runs with the run charts, the sweep's own figures and the comparison's charts.
     *
     * @param file the .html file
     * @param runs the runs
     * @param sweepFigures figures shown before the comparison's (the backbone and family charts)
     * @param monitor progress in runs
     * @throws IOException if a run cannot be read or the report written
     */
    public static void report(Path file, List<RunFolder> runs, List<ReportFigure> sweepFigures,
            IProgressMonitor monitor) throws IOException {
        RunCharts runCharts = new RunCharts();
        RunReport.Charts charts = new RunReport.Charts() {

            @Override
            public List<ReportFigure> forRun(RunFolder run, SelectorSummary summary) throws IOException {
                return runCharts.forRun(run, summary);
            }

            @Override
            public List<ReportFigure> forComparison(ModelComparison comparison, List<SelectorSummary> summaries)
                    throws IOException {
                List<ReportFigure> all = new ArrayList<>(sweepFigures);
                all.addAll(runCharts.forComparison(comparison, summaries));
                return all;
            }
        };
        RunReport.write(file, runs, Hierarchy.standard(), charts, version(), monitor);
    }

    /**
     * Draws one value per category for each group (a backbone or a family) as grouped bars, and saves it as PNG and
     * SVG beside its table.
     *
     * @param folder where NAME.png and NAME.svg go
     * @param name the file name without extension
     * @param title the chart's title
     * @param valueLabel the value axis label
     * @param valuesByGroup per group, its value per category
     * @return the PNG for the report
     * @throws IOException if a file cannot be written
     */
    public static ReportFigure bars(Path folder, String name, String title, String valueLabel,
            Map<String, Map<String, Double>> valuesByGroup) throws IOException {
        ChartFigure figure = ModelComparisonChart.create(title, valueLabel, valuesByGroup,
                ModelComparisonChart.Style.BARS);
        // only PNG and SVG: NAME.csv is the group table, not the figure's numbers
        FigureFormat.write(figure, folder.resolve(name + ".svg"));
        return ReportFigure.read(title, FigureFormat.write(figure, folder.resolve(name + ".png")));
    }

    /**
     * The version run.json records: the pipeline bundle's Bundle-Version, as inside OSGi, or "development" when its
     * classes are not in a built jar.
     *
     * @return the version
     */
    public static String version() {
        URL location = FitWorkflow.class.getProtectionDomain().getCodeSource().getLocation();
        if (location != null && location.getPath().endsWith(".jar")) {
            try (InputStream in = java.net.URI.create("jar:" + location + "!/META-INF/MANIFEST.MF").toURL()
                    .openStream()) {
                String v = new Manifest(in).getMainAttributes().getValue("Bundle-Version");
                if (v != null) {
                    return v;
                }
            } catch (IOException e) {
                // no readable manifest: the classes are not from a release
            }
        }
        return "development";
    }
}
