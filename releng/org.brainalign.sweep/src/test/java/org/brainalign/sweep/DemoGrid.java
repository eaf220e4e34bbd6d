package org.brainalign.sweep;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.brainalign.cli.CommandLine;
import org.brainalign.io.subject.SubjectDescription;

/**
 * The tests' grid, made once per test JVM by {@link DemoSweep}: 2 demo subjects x 2 demo networks x 2 seeds, over 40
 * stimuli, fitted for 2 epochs with one thread. Beside it, the reference: the same 8 cells run one by one with the
 * `extract` and `fit` commands, as a user would without a sweep.
 */
final class DemoGrid {

    static final int IMAGES = 40;
    static final int EPOCHS = 2;

    private static DemoGrid made;

    final Path root;
    final Path plan;
    final Path reference;
    final List<String> cellIds = new ArrayList<>();

    private DemoGrid(Path root) throws IOException {
        this.root = root;
        plan = DemoSweep.write(root, 2, 2, 2, IMAGES, EPOCHS, null);
        Path stimuli = root.resolve("stimuli");
        reference = root.resolve("one-by-one");
        for (String net : List.of("net-a", "net-b")) {
            command("extract", "--backbone", "hf-vit:" + root.resolve(net), "--images", stimuli.toString(), "--out",
                    reference.resolve("features").resolve(net).toString(), "--batch", "16");
        }
        for (String s : List.of("s1", "s2")) {
            for (String net : List.of("net-a", "net-b")) {
                for (int seed = 0; seed < 2; seed++) {
                    String id = s + "__" + net + "__seed" + seed;
                    cellIds.add(id);
                    command("fit", "--features", reference.resolve("features").resolve(net).toString(), "--subject",
                            root.resolve(s).resolve(SubjectDescription.FILE).toString(), "--out", reference.resolve(
                                    "runs").resolve(id).toString(),
                            "--epochs", Integer.toString(EPOCHS), "--seed",
                            Integer.toString(seed), "--threads", "1");
                }
            }
        }
    }

    /** @return the grid, made on first use in a folder that lives as long as the test JVM */
    static synchronized DemoGrid get() throws IOException {
        if (made == null) {
            Path root = Files.createTempDirectory("brainalign-sweep-test");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    SweepFolder.deleteTree(root);
                } catch (IOException e) {
                    // a temporary folder the system cleans up anyway
                }
            }));
            made = new DemoGrid(root);
        }
        return made;
    }

    /** Runs a command of the command line and fails with its output unless it succeeds. */
    static void command(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new CommandLine().run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err,
                true, StandardCharsets.UTF_8));
        if (code != CommandLine.OK) {
            throw new AssertionError(String.join(" ", args) + " failed: " + err.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * The differences between a sweep's run folder and the reference's: the file lists must be equal, every file byte
     * for byte, except the records of provenance that differ by design: in run.json the run's id and creation time, the
     * software version, the timings and the feature store's folder (whose manifest must still hash the same); in the
     * training curve (training-curve.csv, and the copy in the checkpoint's metadata) the seconds and images per second
     * of each epoch. The checkpoint's tensors are compared byte for byte.
     *
     * @param sweepRun the sweep's run folder
     * @param referenceRun the one-by-one run folder
     * @return the differences, empty when identical
     * @throws IOException if a file cannot be read
     */
    static List<String> differences(Path sweepRun, Path referenceRun) throws IOException {
        Map<String, Path> a = files(sweepRun), b = files(referenceRun);
        List<String> diff = new ArrayList<>();
        if (!a.keySet().equals(b.keySet())) {
            diff.add("files differ: " + a.keySet() + " vs " + b.keySet());
            return diff;
        }
        for (String name : a.keySet()) {
            if (name.equals("run.json")) {
                JsonObject x = provenanceRemoved(a.get(name)), y = provenanceRemoved(b.get(name));
                if (!x.equals(y)) {
                    diff.add("run.json differs:\n" + x + "\n" + y);
                }
            } else if (name.equals("training-curve.csv")) {
                if (!curveWithoutTimes(Files.readString(a.get(name))).equals(curveWithoutTimes(Files.readString(b.get(
                        name))))) {
                    diff.add(name + " differs beyond its timing columns");
                }
            } else if (name.equals("checkpoint.safetensors")) {
                if (!checkpointWithoutTimes(a.get(name)).equals(checkpointWithoutTimes(b.get(name)))) {
                    diff.add(name + " differs beyond its curve's timing columns");
                }
            } else if (Files.mismatch(a.get(name), b.get(name)) != -1) {
                diff.add(name + " differs");
            }
        }
        return diff;
    }

    /** The curve without its last two columns, seconds and images per second. */
    private static List<String> curveWithoutTimes(String csv) {
        return csv.lines().map(l -> l.substring(0, l.lastIndexOf(',', l.lastIndexOf(',') - 1))).toList();
    }

    /** A checkpoint's header with the curve's timing columns removed, and its tensor bytes as hex. */
    private static List<String> checkpointWithoutTimes(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int n = (int) java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        JsonObject header = JsonParser.parseString(new String(bytes, 8, n, StandardCharsets.UTF_8)).getAsJsonObject();
        JsonObject metadata = header.getAsJsonObject("__metadata__");
        metadata.addProperty("curve", String.join("\n", curveWithoutTimes(metadata.get("curve").getAsString())));
        return List.of(header.toString(), java.util.HexFormat.of().formatHex(bytes, 8 + n, bytes.length));
    }

    private static JsonObject provenanceRemoved(Path runJson) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(runJson)).getAsJsonObject();
        for (String key : List.of("id", "created", "software_version", "timings")) {
            o.remove(key);
        }
        o.getAsJsonObject("backbone").remove("store");
        JsonArray inputs = o.getAsJsonArray("inputs");
        for (JsonElement input : inputs) {
            if (input.getAsJsonObject().get("role").getAsString().equals("features")) {
                input.getAsJsonObject().remove("path");
            }
        }
        return o;
    }

    private static Map<String, Path> files(Path folder) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(folder)) {
            s.filter(Files::isRegularFile).forEach(p -> out.put(folder.relativize(p).toString(), p));
        }
        return out;
    }
}
