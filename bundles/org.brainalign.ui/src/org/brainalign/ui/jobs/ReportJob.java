package org.brainalign.ui.jobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.brainalign.workflow.RunCharts;
import org.brainalign.workflow.report.RunReport;
import org.brainalign.io.run.RunFolder;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.ui.IWorkbenchWindow;

/**
 * The report job writes one HTML report of runs as {@code brainalign report} does ({@link RunReport} with the run
 * chart set): every run's charts and tables, their drift when two runs are of the same voxels, a comparison when
 * there are several. The report is written whole or not at all.
 */
public final class ReportJob extends BrainAlignJob {

    private final List<Path> runs;
    private final Path output;

    /**
     * @param window the window, or null
     * @param runs run folders, at least one, in the order the report shows them
     * @param output the .html file
     */
    public ReportJob(IWorkbenchWindow window, List<Path> runs, Path output) {
        super("Writing the report " + output.getFileName(), window);
        this.runs = List.copyOf(runs);
        this.output = output;
    }

    /**
     * @param runs run folders, at least one
     * @return where the report of those runs goes by default, as on the command line: report.html in the first run
     */
    public static Path defaultOutput(List<Path> runs) {
        return runs.get(0).resolve("report.html");
    }

    @Override
    protected void work(IProgressMonitor monitor) throws IOException, CoreException {
        SubMonitor sub = SubMonitor.convert(monitor, getName(), runs.size() + 11);
        List<RunFolder> folders = new ArrayList<>();
        for (Path p : runs) {
            folders.add(RunFolder.open(p));
            sub.split(1);
        }
        RunReport.write(output, folders, null, new RunCharts(), version(), sub.split(10));
        refresh(output.toAbsolutePath().getParent(), sub.split(1));
    }

    /** @return the report file */
    public Path output() {
        return output;
    }
}
