package org.brainalign.sweep;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.brainalign.io.subject.SubjectDescription;

/**
 * Everything checked before a sweep does any work, each problem in one sentence: subjects and checkpoints that do not
 * exist, an image set that is missing, an output folder of another plan, a master that cannot be reached or parsed.
 */
public final class SweepCheck {

    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,(\\d+))?])?");
    private static final Pattern STANDALONE = Pattern.compile("spark://([^:/]+):(\\d+)");
    private static final int CONNECT_MILLIS = 3000;

    private SweepCheck() {
    }

    /**
     * Checks that what the plan names exists and that the output folder is this plan's or free.
     *
     * @param plan the plan
     * @param folder the output folder
     * @throws SweepException the first problem
     */
    public static void inputs(SweepPlan plan, SweepFolder folder) throws SweepException {
        for (Map.Entry<String, Path> s : plan.subjects().entrySet()) {
            Path p = s.getValue();
            Path json = Files.isDirectory(p) ? p.resolve(SubjectDescription.FILE) : p;
            if (!Files.isRegularFile(json)) {
                throw new SweepException(plan.file() + ": subject '" + s.getKey() + "' names " + json
                        + ", which does not exist");
            }
        }
        for (SweepPlan.Backbone b : plan.backbones()) {
            if (!Files.exists(b.checkpoint())) {
                throw new SweepException(plan.file() + ": backbone '" + b.name() + "' names checkpoint "
                        + b.checkpoint() + ", which does not exist");
            }
        }
        if (!Files.exists(plan.images())) {
            throw new SweepException(plan.file() + ": the image set " + plan.images() + " does not exist");
        }
        folder.checkOwner(plan);
    }

    /**
     * Checks a master URL and, for a cluster, that it answers.
     *
     * @param master local[N,F], local[N], local[*], spark://HOST:PORT or k8s://URL
     * @param threadsPerTask the threads each task uses
     * @return the cores one local driver offers (0 for a cluster)
     * @throws SweepException if the master is malformed or does not answer, or a task needs more cores than local
     *         mode has
     */
    public static int master(String master, int threadsPerTask) throws SweepException {
        Matcher local = LOCAL.matcher(master);
        if (local.matches()) {
            int cores = local.group(1) == null
                    ? 1
                    : local.group(1).equals("*")
                            ? Runtime.getRuntime().availableProcessors()
                            : Integer.parseInt(local.group(1));
            if (cores < 1 || threadsPerTask > cores) {
                throw new SweepException("--master " + master + " offers " + cores + " cores, fewer than the "
                        + threadsPerTask + " threads of one task (--threads-per-task)");
            }
            return cores;
        }
        Matcher standalone = STANDALONE.matcher(master);
        if (standalone.matches()) {
            reachable(master, standalone.group(1), Integer.parseInt(standalone.group(2)));
            return 0;
        }
        if (master.startsWith("k8s://")) {
            URI api = URI.create(master.substring("k8s://".length()));
            int port = api.getPort() > 0 ? api.getPort() : "http".equals(api.getScheme()) ? 80 : 443;
            if (api.getHost() == null) {
                throw new SweepException(
                        "--master " + master + " names no Kubernetes API host (k8s://https://HOST:PORT)");
            }
            reachable(master, api.getHost(), port);
            return 0;
        }
        throw new SweepException("--master " + master + " is not one of local[N,F], spark://HOST:PORT or"
                + " k8s://https://HOST:PORT");
    }

    private static void reachable(String master, String host, int port) throws SweepException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
        } catch (IOException e) {
            throw new SweepException("the master " + master + " does not answer (" + e.getMessage()
                    + "); start it, or run on this machine with --master local[N,3]", e);
        }
    }
}
