package org.brainalign.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.brainalign.sweep.spark.SparkSweep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The grid on a Spark standalone cluster on the loopback address (a master and two workers of one core each, started
 * here): equal bit for bit to the fits run one by one, also when one worker's executor is killed (kill -9) while it
 * runs a cell.
 */
class SweepClusterTest {

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS) // about a minute on 2 idle cores; a busy machine needs many times that
    void twoWorkersRunTheGridAndSurviveALostExecutor() throws Exception {
        DemoGrid grid = DemoGrid.get();
        Path home = grid.root.resolve("spark-home");
        Files.createDirectories(home.resolve("jars"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (entry.endsWith(".jar") && !Files.exists(home.resolve("jars").resolve(jar.getFileName()))) {
                Files.createSymbolicLink(home.resolve("jars").resolve(jar.getFileName()), jar);
            }
        }
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        List<Process> started = new ArrayList<>();
        try {
            started.add(start(home, grid.root.resolve("master.log"), "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(
                            freePort())));
            waitForPort(port);
            for (int w = 1; w <= 2; w++) {
                Path work = Files.createDirectories(grid.root.resolve("worker-" + w));
                started.add(start(home, grid.root.resolve("worker-" + w + ".log"),
                        "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1", "--memory",
                        "1500m", "--webui-port", Integer.toString(freePort()), "--work-dir", work.toString(), master));
            }
            SweepPlan plan = SweepPlan.read(grid.plan);
            SweepFolder folder = new SweepFolder(grid.root.resolve("sweep-cluster"));
            folder.claim(plan);
            Killer killer = new Killer(plan, folder, started);
            killer.start();
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            SparkSweep.Result r;
            try {
                r = SparkSweep.run(plan, folder, new SparkSweep.Settings(master, 1, null), new PrintStream(log, true,
                        StandardCharsets.UTF_8));
            } finally {
                killer.interrupt();
                killer.join(10_000);
            }
            assertEquals(8, r.cellsFitted(), log.toString(StandardCharsets.UTF_8));
            SweepLocalTest.assertSameAsOneByOne(grid, folder.root(), grid.cellIds);
            assertTrue(killer.killed != null, "no executor was killed mid-cell");
            long starts = folder.events(killer.killed).stream().filter(e -> e.event().equals(AttemptEvent.STARTED))
                    .count();
            assertTrue(starts >= 2, killer.killed + " was started " + starts + " times");
            Set<String> executors = new TreeSet<>();
            for (SweepStatus.Entry e : SweepStatus.of(plan, folder).cells()) {
                executors.add(e.executor().substring(0, e.executor().indexOf('@')));
            }
            assertTrue(executors.size() >= 2, "cells ran on " + executors);
        } finally {
            for (Process p : started) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    /** Kills (SIGKILL) the executor process of the first cell that has started and is not yet published. */
    private static final class Killer extends Thread {

        private final SweepPlan plan;
        private final SweepFolder folder;
        private final List<Process> workers;
        volatile String killed;

        Killer(SweepPlan plan, SweepFolder folder, List<Process> started) {
            this.plan = plan;
            this.folder = folder;
            this.workers = started;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                while (killed == null && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                    for (SweepCell c : plan.cells()) {
                        if (SweepFolder.published(folder.run(c))) {
                            continue;
                        }
                        List<AttemptEvent> events = folder.events(c.id());
                        if (events.size() == 1 && events.get(0).event().equals(AttemptEvent.STARTED)) {
                            Optional<ProcessHandle> executor = executor(events.get(0).executor());
                            if (executor.isPresent()) {
                                Thread.sleep(500); // into the fit
                                executor.get().destroyForcibly();
                                killed = c.id();
                                return;
                            }
                        }
                    }
                }
            } catch (InterruptedException | IOException e) {
                // the sweep ended first
            }
        }

        /** The executor process of that id: Spark starts it with --executor-id ID. */
        private Optional<ProcessHandle> executor(String id) {
            return workers.stream().flatMap(Process::descendants).filter(p -> {
                List<String> args = arguments(p);
                int at = args.indexOf("--executor-id");
                return at >= 0 && at + 1 < args.size() && args.get(at + 1).equals(id);
            }).findFirst();
        }

        /** A process's arguments from /proc (ProcessHandle.Info leaves out command lines as long as Spark's). */
        private static List<String> arguments(ProcessHandle p) {
            try {
                return List.of(new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                        StandardCharsets.UTF_8).split("\0"));
            } catch (IOException e) {
                return List.of();
            }
        }
    }

    private static Process start(Path sparkHome, Path log, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SparkSweep.executorOptions());
        command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = b.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        return b.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void waitForPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the Spark master did not open port " + port);
    }
}
