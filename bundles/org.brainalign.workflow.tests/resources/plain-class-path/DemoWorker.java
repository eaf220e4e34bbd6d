import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.brainalign.workflow.demo.Demo;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.osgi.framework.FrameworkUtil;

/**
 * A worker as a cluster would start one: a plain JVM whose class path holds the headless bundles' jars and no
 * running OSGi framework (the framework's jar is there as a library: equinox.common's progress monitors use its
 * classes). Runs the demo into the folder given (images, sessions, seed, epochs and threads as the arguments after
 * it say) and prints its recovery table on standard output; progress messages go to standard error.
 */
public final class DemoWorker {

    public static void main(String[] args) throws Exception {
        if (FrameworkUtil.getBundle(Demo.class) != null) {
            throw new IllegalStateException("the demo runs inside an OSGi framework; the worker must run without");
        }
        Demo.Options options = new Demo.Options(Path.of(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]), Long.parseLong(args[3]), Integer.parseInt(args[4]),
                Integer.parseInt(args[5]));
        Demo.Result result = Demo.run(options, "plain class path", System.err, new NullProgressMonitor());
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Demo.print(out, result);
    }
}
