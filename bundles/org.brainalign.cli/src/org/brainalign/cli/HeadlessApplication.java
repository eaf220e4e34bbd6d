package org.brainalign.cli;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;

/**
 * The Eclipse application behind the {@code brainalign} command: runs one command line and exits with its code. It
 * never touches SWT, so it runs on machines without a display.
 */
public class HeadlessApplication implements IApplication {

    @Override
    public Object start(IApplicationContext context) {
        System.setProperty("java.awt.headless", "true");
        Object raw = context.getArguments().get(IApplicationContext.APPLICATION_ARGS);
        String[] args = raw instanceof String[] a ? a : new String[0];
        context.applicationRunning();
        return new CommandLine().run(args, System.out, System.err);
    }

    @Override
    public void stop() {
        // commands poll their progress monitors; nothing runs in the background to stop
    }
}
