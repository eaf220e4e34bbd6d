package org.brainalign.ui.jobs;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.eclipse.core.runtime.IProgressMonitor;

/**
 * A sub-task stream shows the stage messages a workflow prints (one line each) as the sub-task of a job's progress,
 * where the user sees them under the job in the Progress view.
 */
final class SubTaskStream extends OutputStream {

    private final IProgressMonitor monitor;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    SubTaskStream(IProgressMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            String text = line.toString(StandardCharsets.UTF_8).strip();
            line.reset();
            if (!text.isEmpty()) {
                monitor.subTask(text);
            }
        } else {
            line.write(b);
        }
    }
}
