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

    /** The plan of SweepPlanTest's tiny grid (two backbones, two seeds), all under the shared mount. */
    private Path tinyPlan(Path shared) throws IOException {
        Files.createDirectories(shared.resolve("a"));
        Files.writeString(shared.resolve("a/subject.json"), "{}");
        Files.createDirectories(shared.resolve("ckpt/vit-s"));
        Files.createDirectories(shared.resolve("ckpt/vit-b"));
        Files.createDirectories(shared.resolve("img"));
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
        try (KubernetesClient api = server.createClient()) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            AtomicInteger code = new AtomicInteger(-1);
            Thread driver = new Thread(() -> {
                PrintStream both = new PrintStream(printed, true, StandardCharsets.UTF_8);
                code.set(SweepMain.run(List.of("--plan", plan.toString(), "--out", out.toString(), "--master",
                        master, "--threads-per-task", "2", "--image", IMAGE, "--namespace", "sweeps",
                        "--service-account", "sweep-runner", "--executors", "2", "--executor-cores", "2",
                        "--executor-memory", "1500m", "--claim", "sweep-data", "--mount", shared.toString(),
                        // the mock server's certificate is self-signed; the pods would reach a driver on this address
                        "--conf", "spark.kubernetes.trust.certificates=true", "--conf",
                        "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
                        // Spark waits this long for executors before it starts jobs (30 s unless told)
                        "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=3s"), both, both));
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
        } finally {
            server.destroy();
        }
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
