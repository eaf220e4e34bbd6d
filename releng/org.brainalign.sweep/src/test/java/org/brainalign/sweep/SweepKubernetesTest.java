package org.brainalign.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

import org.apache.spark.SparkContext;
import org.brainalign.sweep.spark.KubernetesExecutors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A k8s:// master without a cluster: the sweep's driver runs here in client mode against fabric8's mock Kubernetes API
 * server (CRUD mode, on the loopback address), which stores the executor pods Spark asks for as any API server would,
 * but runs none of them. So the test asserts what a cluster would be asked to run (image, namespace, labels, service
 * account, the shared volume, cores and memory, the JVM options) and then stops the driver; whether such pods start
 * and reach the driver on a real cluster is not tested here.
 */
class SweepKubernetesTest {

    private static final String IMAGE = "registry.example.org/brainalign-sweep:test";

    @TempDir
    Path dir;

    /** The plan of SweepPlanTest's tiny grid (two backbones, two seeds, one image), all under the shared mount. */
    private Path tinyPlan(Path shared) throws IOException {
        Files.createDirectories(shared.resolve("a"));
        Files.writeString(shared.resolve("a/subject.json"), """
                {"layout": "algonauts", "folder": "."}""");
        Files.createDirectories(shared.resolve("ckpt/vit-s"));
        Files.createDirectories(shared.resolve("ckpt/vit-b"));
        Files.createDirectories(shared.resolve("img"));
        Files.write(shared.resolve("img/0001.png"), new byte[0]); // counted by the dry run, never read here
        Path plan = shared.resolve("SWEEP.json");
        Files.writeString(plan, """
                {"subjects": ["a/subject.json"], "backbones": ["hf-vit:ckpt/vit-s", "ckpt/vit-b"],
                 "seeds": [3, 4], "images": "img", "fit": {"epochs": 5}}
                """);
        return plan;
    }

    private static KubernetesMockServer apiServer() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), true);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void theDriverAsksForExecutorPodsThatRunTheImageOnTheSharedVolume() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path plan = tinyPlan(shared);
        Path out = shared.resolve("sweeps/grid1");
        KubernetesMockServer server = apiServer();
        String master = "k8s://https://127.0.0.1:" + server.getPort();
        List<String> args = List.of("--plan", plan.toString(), "--out", out.toString(), "--master", master,
                "--threads-per-task", "2", "--image", IMAGE, "--namespace", "sweeps", "--service-account",
                "sweep-runner", "--executors", "2", "--executor-cores", "2", "--executor-memory", "1500m", "--claim",
                "sweep-data", "--mount", shared.toString(),
                // the mock server's certificate is self-signed; the pods would reach a driver on this address
                "--conf", "spark.kubernetes.trust.certificates=true", "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1",
                // Spark waits this long for executors before it starts jobs (30 s unless told)
                "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=3s");
        try (KubernetesClient api = server.createClient()) {
            List<String> dryRun = new ArrayList<>(args);
            dryRun.add("--dry-run");
            String planned = SweepLocalTest.sweep(SweepMain.OK, dryRun.toArray(String[]::new));
            assertTrue(planned.contains("executors: 2 pods of " + IMAGE + " in namespace sweeps, 2 cores and 1500m"
                    + " each, claim sweep-data mounted at " + shared + "\n"), planned);
            assertFalse(Files.exists(out), "a dry run writes nothing");
            assertTrue(api.pods().inNamespace("sweeps").list().getItems().isEmpty(), "a dry run makes no pods");

            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            AtomicInteger code = new AtomicInteger(-1);
            Thread driver = new Thread(() -> {
                PrintStream both = new PrintStream(printed, true, StandardCharsets.UTF_8);
                code.set(SweepMain.run(args, both, both));
            }, "sweep-driver");
            driver.start();

            List<Pod> pods = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (pods.size() < 2 && driver.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(250);
                pods = api.pods().inNamespace("sweeps").withLabel("spark-role", "executor").list().getItems();
            }
            assertEquals(2, pods.size(), printed.toString(StandardCharsets.UTF_8));
            String hash = SweepPlan.read(plan).sha256().substring(0, 12);
            for (Pod pod : pods) {
                assertPodSpec(pod, hash, shared);
            }

            // the pods never run, so no executor ever registers: once the driver has started (and its first job
            // waits for executors), stop it, which deletes its pods
            while (!printed.toString(StandardCharsets.UTF_8).contains("sweep: Spark ") && driver.isAlive()) {
                Thread.sleep(250);
            }
            SparkContext spark = SparkContext.getOrCreate();
            while (spark.statusTracker().getActiveJobIds().length == 0 && driver.isAlive()) {
                Thread.sleep(250);
            }
            spark.stop();
            driver.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(driver.isAlive());
            String text = printed.toString(StandardCharsets.UTF_8);
            assertEquals(SweepMain.FAILURE, code.get(), text);
            assertTrue(text.contains("the sweep stopped"), text);
            assertTrue(api.pods().inNamespace("sweeps").withLabel("spark-role", "executor").list().getItems()
                    .isEmpty(), "the stopped driver deleted its executor pods");
            for (SweepCell c : SweepPlan.read(plan).cells()) {
                assertFalse(SweepFolder.published(new SweepFolder(out).run(c)), c.id());
            }
            // what the driver's Kubernetes account must be allowed (docs/sweep.md): pods and a config map made, pods
            // watched, and at the end everything of the application deleted (collections selected by its labels)
            Set<String> asked = new TreeSet<>();
            for (RecordedRequest r; (r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null;) {
                String path = r.getPath().replaceFirst("\\?.*", "");
                asked.add(r.getMethod() + " " + path.replaceFirst("/pods/[^/]+$", "/pods/NAME"));
            }
            String ns = "/api/v1/namespaces/sweeps/";
            assertEquals(Set.of("POST " + ns + "pods", "GET " + ns + "pods", "DELETE " + ns + "pods", "POST " + ns
                    + "configmaps", "DELETE " + ns + "configmaps", "DELETE " + ns + "services",
                    "DELETE " + ns
                            + "persistentvolumeclaims"),
                    asked);
        } finally {
            server.destroy();
        }
    }

    /**
     * The next best thing to a cluster: each executor pod the driver asked for is started here as the image would
     * start it, by bin/k8s-executor with the pod's environment (its IP being this machine's loopback address, its
     * emptyDir a folder of its own, and the test's class path standing in for the image's lib/, since the distribution
     * is packaged after the tests). The executors register with the driver and the grid ends as the fits run one by
     * one. Not covered: a container runtime, the image itself, a real volume claim, the cluster's network.
     */
    @Test
    @Timeout(value = 900, unit = TimeUnit.SECONDS) // a few minutes on 2 idle cores; a busy machine needs many times that
    void podsStartedAsTheirSpecsSayRunTheGridLikeTheFitsOneByOne() throws Exception {
        DemoGrid grid = DemoGrid.get();
        Path out = grid.root.resolve("sweep-k8s");
        KubernetesMockServer server = apiServer();
        String master = "k8s://https://127.0.0.1:" + server.getPort();
        List<Process> started = new ArrayList<>();
        try (KubernetesClient api = server.createClient()) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            AtomicInteger code = new AtomicInteger(-1);
            Thread driver = new Thread(() -> {
                PrintStream both = new PrintStream(printed, true, StandardCharsets.UTF_8);
                code.set(SweepMain.run(List.of("--plan", grid.plan.toString(), "--out", out.toString(), "--master",
                        master, "--image", IMAGE, "--executors", "2", "--executor-cores", "1", "--executor-memory",
                        "1500m", "--claim", "sweep-data", "--mount", grid.root.toString(), "--conf",
                        "spark.kubernetes.trust.certificates=true", "--conf", "spark.driver.host=127.0.0.1",
                        "--conf", "spark.driver.bindAddress=127.0.0.1"), both, both));
            }, "sweep-driver");
            driver.start();
            List<Pod> pods = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (pods.size() < 2 && driver.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(250);
                pods = api.pods().inNamespace("default").withLabel("spark-role", "executor").list().getItems();
            }
            assertEquals(2, pods.size(), printed.toString(StandardCharsets.UTF_8));
            List<String> executorIds = new ArrayList<>();
            for (Pod pod : pods) {
                started.add(startAsItsImageWould(pod, Files.createDirectories(grid.root.resolve("pods").resolve(pod
                        .getMetadata().getName()))));
                executorIds.add(pod.getMetadata().getLabels().get("spark-exec-id"));
            }
            driver.join(TimeUnit.SECONDS.toMillis(800));
            String text = printed.toString(StandardCharsets.UTF_8);
            assertEquals(SweepMain.OK, code.get(), text + podLogs(grid.root.resolve("pods")));
            assertTrue(text.contains("2 stores extracted, 8 cells fitted, 0 cells already done"), text);
            SweepLocalTest.assertSameAsOneByOne(grid, out, grid.cellIds);
            for (SweepStatus.Entry e : SweepStatus.of(SweepPlan.read(grid.plan), new SweepFolder(out)).cells()) {
                String executor = e.executor().substring(0, e.executor().indexOf('@'));
                assertTrue(executorIds.contains(executor), e.name() + " ran on " + e.executor() + ", not a pod "
                        + executorIds);
            }
        } finally {
            for (Process p : started) {
                p.destroyForcibly();
                p.waitFor(20, TimeUnit.SECONDS);
            }
            server.destroy();
        }
    }

    /** Starts bin/k8s-executor with the pod's arguments and environment, as the pod's container would. */
    private static Process startAsItsImageWould(Pod pod, Path podFolder) throws IOException {
        Container c = pod.getSpec().getContainers().get(0);
        List<String> command = new ArrayList<>(List.of("bash", Path.of("src/main/dist-bin/k8s-executor")
                .toAbsolutePath().toString()));
        command.addAll(c.getArgs());
        ProcessBuilder b = new ProcessBuilder(command).directory(podFolder.toFile()).redirectErrorStream(true)
                .redirectOutput(podFolder.resolve("executor.log").toFile());
        Map<String, String> env = b.environment();
        for (EnvVar e : c.getEnv()) {
            String value = e.getValue();
            if (e.getValueFrom() != null) {
                String field = e.getValueFrom().getFieldRef().getFieldPath();
                value = switch (field) {
                    case "status.podIP" -> "127.0.0.1";
                    case "metadata.name" -> pod.getMetadata().getName();
                    default -> throw new AssertionError(e.getName() + " asks for " + field + ", not emulated here");
                };
            }
            env.put(e.getName(), value);
        }
        // the pod's emptyDir for Spark's scratch files, and the image's Java and jars
        env.put("SPARK_EXECUTOR_DIRS", Files.createDirectories(podFolder.resolve("local")).toString());
        env.put("SPARK_LOCAL_DIRS", podFolder.resolve("local").toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("SPARK_CLASSPATH", System.getProperty("java.class.path"));
        return b.start();
    }

    private static String podLogs(Path pods) throws IOException {
        StringBuilder text = new StringBuilder();
        try (var logs = Files.walk(pods)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().equals("executor.log")).toList()) {
                List<String> lines = Files.readAllLines(log);
                text.append("\n--- ").append(log).append('\n').append(String.join("\n", lines.subList(Math.max(0,
                        lines.size() - 40), lines.size())));
            }
        }
        return text.toString();
    }

    /** Runs `sweep ...` expecting it to stop before any work with the given words; nothing is written. */
    private static void refused(int expectedCode, String expected, Path out, String... args) {
        String text = SweepLocalTest.sweep(expectedCode, args);
        assertTrue(text.contains(expected), text);
        assertTrue(text.strip().lines().count() <= 2, text);
        assertFalse(Files.exists(out), "nothing is written before the checks pass");
    }

    @Test
    void badKubernetesSettingsAreRefusedInOneSentenceBeforeAnyWork() throws IOException {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        String plan = tinyPlan(shared).toString();
        Path out = shared.resolve("out");
        // a closed port: every one of these is refused before the master is even asked
        String master = "k8s://https://127.0.0.1:1";
        List<String> good = List.of("--plan", plan, "--out", out.toString(), "--master", master, "--image", IMAGE,
                "--claim", "sweep-data", "--mount", shared.toString());
        refused(SweepMain.FAILURE, "a k8s:// master needs --image", out, "--plan", plan, "--out", out.toString(),
                "--master", master, "--claim", "sweep-data", "--mount", shared.toString());
        refused(SweepMain.FAILURE, "a k8s:// master needs --claim NAME and --mount PATH", out, "--plan", plan,
                "--out", out.toString(), "--master", master, "--image", IMAGE);
        refused(SweepMain.USAGE, "--image applies to k8s:// masters only", out, "--plan", plan, "--out", out
                .toString(), "--master", "local[2,3]", "--image", IMAGE);
        refused(SweepMain.FAILURE, "--namespace 'Sweeps' is not a Kubernetes namespace name", out, with(good,
                "--namespace", "Sweeps"));
        refused(SweepMain.FAILURE, "--claim 'sweep_data' is not a Kubernetes name", out, with(good, "--claim",
                "sweep_data"));
        refused(SweepMain.FAILURE, "--executor-cores 1 is fewer than the 2 threads of one task", out, with(good,
                "--threads-per-task", "2", "--executor-cores", "1"));
        refused(SweepMain.FAILURE, "--executor-memory '8 GB' is not a size such as 8g or 8192m", out, with(good,
                "--executor-memory", "8 GB"));
        refused(SweepMain.FAILURE, "--mount " + shared.resolve("nowhere") + " is not a folder on this machine", out,
                with(good, "--mount", shared.resolve("nowhere").toString()));
        refused(SweepMain.FAILURE, "the output folder " + dir.resolve("elsewhere").toAbsolutePath() + " lies outside"
                + " --mount " + shared + ", so the executors would not see it", dir.resolve("elsewhere"),
                with(good,
                        "--out", dir.resolve("elsewhere").toString()));
        refused(SweepMain.FAILURE, "the plan " + shared.resolve("SWEEP.json") + " lies outside --mount " + shared
                .resolve("a"), out, with(good, "--mount", shared.resolve("a").toString()));
        Files.writeString(shared.resolve("a/subject.json"), """
                {"layout": "algonauts", "folder": "../../algonauts/subj01"}""");
        refused(SweepMain.FAILURE, "the root folder of subject 'a' " + dir.resolve("algonauts/subj01") + " lies"
                + " outside --mount " + shared, out, good.toArray(String[]::new));
        Files.writeString(shared.resolve("a/subject.json"), "{}");
        refused(SweepMain.FAILURE, "lacks the entry \"layout\"", out, good.toArray(String[]::new));
        Files.writeString(shared.resolve("a/subject.json"), """
                {"layout": "algonauts", "folder": "."}""");
        refused(SweepMain.USAGE, "--conf takes a Spark setting as spark.KEY=VALUE, got 'driver.host'", out, with(
                good, "--conf", "driver.host"));
        // all good: then the master is asked, and a closed port does not answer
        refused(SweepMain.FAILURE, "the master " + master + " does not answer", out, good.toArray(String[]::new));
    }

    /** The arguments with the given options added or replaced. */
    private static String[] with(List<String> args, String... options) {
        List<String> all = new ArrayList<>(args);
        for (int i = 0; i < options.length; i += 2) {
            int at = all.indexOf(options[i]);
            if (at >= 0) {
                all.set(at + 1, options[i + 1]);
            } else {
                all.add(options[i]);
                all.add(options[i + 1]);
            }
        }
        return all.toArray(String[]::new);
    }

    private static void assertPodSpec(Pod pod, String planHash, Path shared) {
        String name = pod.getMetadata().getName();
        assertEquals("sweeps", pod.getMetadata().getNamespace(), name);
        assertTrue(name.startsWith("brainalign-sweep-" + planHash + "-exec-"), name);
        Map<String, String> labels = pod.getMetadata().getLabels();
        assertEquals(planHash, labels.get(KubernetesExecutors.PLAN_LABEL), name + " " + labels);
        assertNotNull(labels.get("spark-app-selector"), name + " " + labels);
        assertEquals("sweep-runner", pod.getSpec().getServiceAccountName(), name);

        Volume volume = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(KubernetesExecutors.VOLUME))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + " has no volume " + KubernetesExecutors.VOLUME));
        assertEquals("sweep-data", volume.getPersistentVolumeClaim().getClaimName(), name);

        assertEquals(1, pod.getSpec().getContainers().size(), name);
        Container c = pod.getSpec().getContainers().get(0);
        assertEquals(IMAGE, c.getImage(), name);
        assertEquals(List.of("executor"), c.getArgs(), name + ": the image's entry point takes 'executor'");
        VolumeMount mount = c.getVolumeMounts().stream().filter(m -> m.getName().equals(KubernetesExecutors.VOLUME))
                .findFirst().orElseThrow(() -> new AssertionError(name + " does not mount the shared volume"));
        assertEquals(shared.toString(), mount.getMountPath(), name + ": the same path as on the driver");
        assertFalse(Boolean.TRUE.equals(mount.getReadOnly()), name + ": the executors publish into it");

        // two cores; 1500 MiB of heap plus Spark's overhead of max(384 MiB, 10%) = 1884 MiB
        assertEquals("2", c.getResources().getRequests().get("cpu").toString(), name);
        assertEquals("1884Mi", c.getResources().getRequests().get("memory").toString(), name);
        assertEquals("1884Mi", c.getResources().getLimits().get("memory").toString(), name);

        Map<String, String> env = new HashMap<>();
        List<String> javaOptions = new ArrayList<>();
        for (EnvVar e : c.getEnv()) {
            env.put(e.getName(), e.getValue());
            if (e.getName().startsWith("SPARK_JAVA_OPT_")) {
                javaOptions.add(e.getValue());
            }
        }
        assertEquals("2", env.get("SPARK_EXECUTOR_CORES"), name);
        assertEquals("1500m", env.get("SPARK_EXECUTOR_MEMORY"), name);
        assertTrue(env.get("SPARK_DRIVER_URL").startsWith("spark://CoarseGrainedScheduler@127.0.0.1:"), env.get(
                "SPARK_DRIVER_URL"));
        assertNull(env.get("SPARK_CLASSPATH"), name + ": the executors use the image's jars, not the driver's paths");
        // every option Spark's launcher passes on Java 17+ (the pom's list, given to this JVM too), the Vector API
        // module the fits' kernels use, and DJL's offline switch
        String launcherOptions = System.getProperty("brainalign.spark.jvm.options");
        assertNotNull(launcherOptions, "the pom passes its list of JVM options to the tests");
        for (String option : launcherOptions.trim().split("\\s+")) {
            assertTrue(javaOptions.contains(option), name + " lacks " + option + ": " + javaOptions);
        }
        assertTrue(javaOptions.contains("--add-modules=jdk.incubator.vector"), javaOptions.toString());
        assertTrue(javaOptions.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"), javaOptions.toString());
        assertTrue(javaOptions.contains("-Dai.djl.offline=true"), javaOptions.toString());
    }
}
