package org.brainalign.ui.tests;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.util.List;

import org.brainalign.workflow.FinetuneDriftExperiment;
import org.eclipse.core.runtime.Platform;
import org.osgi.framework.Bundle;

/**
 * The command line as the tests of the workbench reach it: through the installed org.brainalign.cli bundle, which the
 * workbench itself neither requires nor sees (the two faces stand side by side on workflow), so that a test can check
 * that both faces build and run the same commands.
 */
final class CommandLineFace {

    private CommandLineFace() {
    }

    /**
     * Runs `brainalign ARGS` as the headless application does.
     *
     * @param args the arguments after the program name
     * @param out standard output
     * @param err standard error
     * @return the exit code (0 for success)
     * @throws Exception if the command line cannot be reached
     */
    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Class<?> type = cliClass("org.brainalign.cli.CommandLine");
        Object commandLine = type.getConstructor().newInstance();
        return (Integer) invoke(() -> type.getMethod("run", String[].class, PrintStream.class, PrintStream.class)
                .invoke(commandLine, args.toArray(String[]::new), out, err));
    }

    /**
     * @param args the arguments of `brainalign experiment finetune-drift`
     * @return the options the command line reads from them
     * @throws Exception if the command line refuses them or cannot be reached
     */
    static FinetuneDriftExperiment.Options finetuneDriftOptions(List<String> args) throws Exception {
        Class<?> type = cliClass("org.brainalign.cli.ExperimentCommand");
        return (FinetuneDriftExperiment.Options) invoke(() -> type.getMethod("options", List.class).invoke(null,
                args));
    }

    private static Class<?> cliClass(String name) throws ClassNotFoundException {
        Bundle cli = Platform.getBundle("org.brainalign.cli");
        if (cli == null) {
            throw new IllegalStateException("the test runtime has no org.brainalign.cli bundle");
        }
        return cli.loadClass(name);
    }

    private interface Call {

        Object call() throws ReflectiveOperationException;
    }

    private static Object invoke(Call call) throws Exception {
        try {
            return call.call();
        } catch (InvocationTargetException e) {
            // the command's own exception (e.g. a usage error), not the reflection around it
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }
}
