package org.brainalign.sweep.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.sweep.SweepException;
import org.brainalign.sweep.SweepFolder;
import org.brainalign.sweep.SweepPlan;

/**
 * The executor pods of a sweep on a k8s:// master, in client mode: the driver is the `brainalign sweep` process, Spark
 * asks the Kubernetes API for executor pods that run the given image (built from the sweep distribution, whose
 * bin/k8s-executor starts Spark's executor on the distribution's jars). Results are published by renaming folders, so
 * the executors and the driver must see one file system: a persistent volume claim mounted in every executor at the
 * path where the driver's machine mounts the same volume, holding the plan, everything it names and the sweep folder.
 *
 * @param image the container image (spark.kubernetes.container.image)
 * @param namespace the namespace the pods are made in
 * @param serviceAccount the executors' service account, or null for the namespace's default
 * @param executors how many executor pods
 * @param cores cores of one executor (at least the threads of one task)
 * @param memory heap of one executor in Spark's notation (8g, 8192m); Spark adds its overhead to the pod's request
 * @param claim the persistent volume claim mounted in every executor
 * @param mount where it is mounted, in the executors and on the driver's machine alike
 */
public record KubernetesExecutors(String image, String namespace, String serviceAccount, int executors, int cores,
        String memory, String claim, Path mount) {

    /** The name the shared volume has in the pod spec (spark.kubernetes.executor.volumes.*.NAME.*). */
    public static final String VOLUME = "sweep-shared";
    /** The label every executor pod of a sweep carries, valued with the start of its plan's hash. */
    public static final String PLAN_LABEL = "brainalign-plan";
    /** The command line's options that set these (without the leading --). */
    public static final List<String> OPTIONS = List.of("image", "namespace", "service-account", "executors",
            "executor-cores", "executor-memory", "claim", "mount");

    /** A DNS-1123 label (namespaces). */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** A DNS-1123 subdomain (claims, service accounts). */
    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    /** Spark's byte sizes as spark.executor.memory takes them. */
    private static final Pattern MEMORY = Pattern.compile("[1-9][0-9]*[kmgtKMGT]?[bB]?");

    /**
     * Checks every setting and that the executors will see what the sweep reads and writes, each problem in one
     * sentence naming the option or the path.
     *
     * @param plan the plan
     * @param folder the sweep's output folder
     * @param threadsPerTask the threads of one task
     * @throws SweepException the first problem
     */
    public void check(SweepPlan plan, SweepFolder folder, int threadsPerTask) throws SweepException {
        if (image == null || image.isBlank()) {
            throw new SweepException("a k8s:// master needs --image, the container image the executors run (built from"
                    + " the sweep distribution, see docs/sweep.md)");
        }
        if (image.chars().anyMatch(Character::isWhitespace)) {
            throw new SweepException("--image '" + image + "' holds white space, which no image reference does");
        }
        if (!LABEL.matcher(namespace).matches()) {
            throw new SweepException("--namespace '" + namespace + "' is not a Kubernetes namespace name (lower-case"
                    + " letters, digits and '-', at most 63)");
        }
        if (serviceAccount != null && !SUBDOMAIN.matcher(serviceAccount).matches()) {
            throw new SweepException("--service-account '" + serviceAccount + "' is not a Kubernetes name (lower-case"
                    + " letters, digits, '-' and '.')");
        }
        if (cores < threadsPerTask) {
            throw new SweepException("--executor-cores " + cores + " is fewer than the " + threadsPerTask
                    + " threads of one task (--threads-per-task)");
        }
        if (!MEMORY.matcher(memory).matches()) {
            throw new SweepException("--executor-memory '" + memory + "' is not a size such as 8g or 8192m");
        }
        if (claim == null || mount == null) {
            throw new SweepException("a k8s:// master needs --claim NAME and --mount PATH: the persistent volume claim"
                    + " the executors share with this machine, and where both mount it");
        }
        if (!SUBDOMAIN.matcher(claim).matches()) {
            throw new SweepException("--claim '" + claim + "' is not a Kubernetes name (lower-case letters, digits,"
                    + " '-' and '.')");
        }
        if (!mount.isAbsolute()) {
            throw new SweepException("--mount " + mount + " must be an absolute path (the executors mount the claim"
                    + " there)");
        }
        if (!Files.isDirectory(mount)) {
            throw new SweepException("--mount " + mount + " is not a folder on this machine: mount the claim "
                    + claim + " here at the same path as in the executors");
        }
        for (Map.Entry<String, Path> p : shared(plan, folder).entrySet()) {
            if (!p.getValue().toAbsolutePath().normalize().startsWith(mount.normalize())) {
                throw new SweepException(p.getKey() + " " + p.getValue() + " lies outside --mount " + mount
                        + ", so the executors would not see it");
            }
        }
    }

    /** @return what the dry run says of the pods */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "executors: %d pods of %s in namespace %s, %d cores and %s each, claim %s"
                + " mounted at %s", executors, image, namespace, cores, memory, claim, mount);
    }

    /** Every path an executor reads or writes, by what it is; the subjects' data as their descriptions name it. */
    private static Map<String, Path> shared(SweepPlan plan, SweepFolder folder) throws SweepException {
        Map<String, Path> paths = new LinkedHashMap<>();
        paths.put("the plan", plan.file());
        for (Map.Entry<String, Path> s : plan.subjects().entrySet()) {
            String subject = "subject '" + s.getKey() + "'";
            paths.put(subject, s.getValue());
            SubjectDescription d;
            try {
                d = SubjectDescription.read(s.getValue());
            } catch (IOException e) {
                throw new SweepException(e.getMessage(), e);
            }
            Map<String, Path> data = new LinkedHashMap<>();
            data.put("root folder", d.root());
            data.put("trials", d.trials());
            data.put("stimuli", d.stimuli());
            data.put("mask", d.mask());
            data.put("surfaces", d.surfaces());
            data.forEach((what, p) -> {
                if (p != null) {
                    paths.put("the " + what + " of " + subject, p);
                }
            });
        }
        for (SweepPlan.Backbone b : plan.backbones()) {
            paths.put("the checkpoint of backbone '" + b.name() + "'", b.checkpoint());
        }
        paths.put("the image set", plan.images());
        paths.put("the output folder", folder.root());
        return paths;
    }

    /**
     * @param plan the plan (its hash labels the pods)
     * @return Spark's settings for these executors
     */
    public Map<String, String> conf(SweepPlan plan) {
        String volume = "spark.kubernetes.executor.volumes.persistentVolumeClaim." + VOLUME + ".";
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.kubernetes.container.image", image);
        conf.put("spark.kubernetes.namespace", namespace);
        if (serviceAccount != null) {
            conf.put("spark.kubernetes.authenticate.executor.serviceAccountName", serviceAccount);
        }
        conf.put("spark.executor.instances", Integer.toString(executors));
        conf.put("spark.executor.cores", Integer.toString(cores));
        conf.put("spark.executor.memory", memory);
        conf.put(volume + "options.claimName", claim);
        conf.put(volume + "mount.path", mount.toString());
        conf.put(volume + "mount.readOnly", "false");
        String hash = plan.sha256().substring(0, 12);
        conf.put("spark.kubernetes.executor.label." + PLAN_LABEL, hash);
        conf.put("spark.kubernetes.executor.podNamePrefix", "brainalign-sweep-" + hash);
        return conf;
    }
}
