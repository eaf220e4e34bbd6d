package org.brainalign.workflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.brainalign.workflow.demo.Demo;
import org.eclipse.core.runtime.FileLocator;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.namespace.BundleNamespace;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * The workflow runs outside OSGi, as a cluster's worker would run it: a plain {@code java -cp} over the jars of the
 * workflow bundle and of everything it is wired to (the engine's embedded DJL jars included), with no framework
 * running,
 * runs a small demo (a subject made on the spot, extraction, one epoch of FactorTopy, analysis, charts, report) and
 * prints the same recovery table as the same demo run here inside OSGi.
 */
public class PlainClassPathTest {

    /** 20 stimuli in 2 sessions, seed 1, one epoch on one thread: seconds of work, deterministic. */
    private static final List<String> DEMO = List.of("20", "2", "1", "1", "1");

    @TempDir
    Path tmp;

    @Test
    public void aSmallDemoOnAPlainClassPathPrintsWhatItPrintsInOsgi() throws Exception {
        Bundle workflow = FrameworkUtil.getBundle(Demo.class);
        List<Path> classPath = classPath(workflow);
        assertTrue(classPath.stream().anyMatch(p -> p.getFileName().toString().equals("pytorch-engine.jar")),
                "the engine's embedded DJL jars are on the class path: " + classPath);

        Path worker = tmp.resolve("DemoWorker.java");
        // the source is this fragment's resource: findEntries, unlike getEntry, looks into the host's fragments
        URL source = workflow.findEntries("resources/plain-class-path", "DemoWorker.java", false).nextElement();
        try (InputStream in = source.openStream()) {
            Files.copy(in, worker);
        }
        // the JDK this test runs on, by its home: the process image may be a loader that started it, not its java
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                "-Djava.awt.headless=true", "-Xmx1g", "-cp",
                String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()), worker.toString(),
                tmp.resolve("plain").toString()));
        command.addAll(DEMO);
        Path log = tmp.resolve("worker.log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream out = process.getInputStream()) {
                out.transferTo(printed);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            fail("the worker did not finish in 10 minutes; its log:\n" + Files.readString(log));
        }
        reader.join();
        assertEquals(0, process.exitValue(), "the worker failed; its log:\n" + Files.readString(log));
        String plain = printed.toString(StandardCharsets.UTF_8);
        for (String file : List.of("runs/demo/run.json", "runs/demo/encoder.safetensors",
                "runs/demo/charts/alignment.svg", "report.html")) {
            assertTrue(Files.isRegularFile(tmp.resolve("plain").resolve(file)), file);
        }

        ByteArrayOutputStream here = new ByteArrayOutputStream();
        Demo.Result result = Demo.run(new Demo.Options(tmp.resolve("osgi"), Integer.parseInt(DEMO.get(0)),
                Integer.parseInt(DEMO.get(1)), Long.parseLong(DEMO.get(2)), Integer.parseInt(DEMO.get(3)),
                Integer.parseInt(DEMO.get(4))), "osgi", new PrintStream(OutputStream.nullOutputStream()),
                new NullProgressMonitor());
        Demo.print(new PrintStream(here, true, StandardCharsets.UTF_8), result);
        assertFalse(plain.isBlank());
        assertEquals(here.toString(StandardCharsets.UTF_8), plain);
    }

    /**
     * @param root a bundle
     * @return the jars and folders of its class path and of every bundle it is wired to, in the order found; the
     *         requirements a test fragment adds to its host are left out
     */
    private static List<Path> classPath(Bundle root) throws IOException, URISyntaxException {
        Set<Bundle> bundles = new LinkedHashSet<>();
        Deque<Bundle> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            Bundle b = todo.removeFirst();
            if (!bundles.add(b) || b.getBundleId() == Constants.SYSTEM_BUNDLE_ID) {
                continue;
            }
            BundleWiring wiring = b.adapt(BundleWiring.class);
            for (String namespace : List.of(BundleNamespace.BUNDLE_NAMESPACE, PackageNamespace.PACKAGE_NAMESPACE)) {
                for (BundleWire wire : wiring.getRequiredWires(namespace)) {
                    if (wire.getRequirement().getRevision().equals(wiring.getRevision())) {
                        todo.addLast(wire.getProvider().getBundle());
                    }
                }
            }
        }
        List<Path> paths = new ArrayList<>();
        for (Bundle b : bundles) {
            if (b.getBundleId() == Constants.SYSTEM_BUNDLE_ID) {
                // the framework's jar, as a library: equinox.common's SubMonitor reads its debug options through it
                paths.add(Path.of(Bundle.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
                continue;
            }
            String header = b.getHeaders("").get(Constants.BUNDLE_CLASSPATH);
            for (String entry : (header == null ? "." : header).split(",")) {
                entry = entry.strip();
                if (entry.equals(".")) {
                    paths.add(FileLocator.getBundleFileLocation(b).orElseThrow().toPath());
                } else {
                    URL url = b.getEntry(entry);
                    assertTrue(url != null, b.getSymbolicName() + " lacks " + entry + " of its Bundle-ClassPath");
                    paths.add(Path.of(FileLocator.toFileURL(url).getPath()));
                }
            }
        }
        return paths;
    }
}
