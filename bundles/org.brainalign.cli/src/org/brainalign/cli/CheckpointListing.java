package org.brainalign.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.io.safetensors.TensorInfo;
import org.brainalign.io.torch.PickleReader;
import org.brainalign.io.torch.TorchCheckpoint;
import org.brainalign.io.torch.TorchTensor;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The tensors of a checkpoint file (PyTorch's {@code .pth}, {@code .pt}, {@code .bin}, {@code .pth.tar},
 * {@code .ckpt}, or safetensors) as {@code inspect} lists them: name, element type, shape; for a PyTorch file also
 * its container and the objects that were left as placeholders instead of being rebuilt.
 */
final class CheckpointListing {

    /** One listed tensor. */
    private record Row(String name, String dtype, long[] shape) {
    }

    private final String format;
    private final List<Row> rows;
    private final List<String> placeholders;

    private CheckpointListing(String format, List<Row> rows, List<String> placeholders) {
        this.format = format;
        this.rows = rows;
        this.placeholders = placeholders;
    }

    /**
     * @param file a path
     * @return whether its name is one checkpoints are saved under
     */
    static boolean accepts(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".pth") || n.endsWith(".pt") || n.endsWith(".bin") || n.endsWith(".tar")
                || n.endsWith(".ckpt") || n.endsWith(".safetensors") || n.endsWith(".safetensors.index.json");
    }

    /**
     * @param file a checkpoint
     * @return its listing
     * @throws IOException with one sentence naming the file if it cannot be read as a checkpoint
     */
    static CheckpointListing of(Path file) throws IOException {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Row> rows = new ArrayList<>();
        if (n.endsWith(".safetensors") || n.endsWith(".index.json")) {
            try (SafetensorsFile s = SafetensorsFile.open(file)) {
                for (String name : s.names()) {
                    TensorInfo i = s.info(name);
                    rows.add(new Row(name, i.dtype(), i.shape()));
                }
            }
            return new CheckpointListing("safetensors", rows, List.of());
        }
        try (TorchCheckpoint c = TorchCheckpoint.open(file)) {
            for (Map.Entry<String, TorchTensor> e : c.tensors().entrySet()) {
                rows.add(new Row(e.getKey(), e.getValue().dtype().torchName(), e.getValue().shape()));
            }
            List<String> placeholders = new ArrayList<>();
            if (c.root() instanceof Map<?, ?> m) {
                m.forEach((k, v) -> {
                    if (v instanceof PickleReader.Instance i) {
                        placeholders.add(k + ": " + i.callable());
                    }
                });
            }
            return new CheckpointListing("PyTorch " + c.format(), rows, placeholders);
        }
    }

    /** @return a table: one tensor a line, then the placeholders */
    String toText() {
        StringBuilder b = new StringBuilder();
        long elements = 0;
        for (Row r : rows) {
            long n = 1;
            for (long d : r.shape()) {
                n *= d;
            }
            elements += n;
        }
        b.append(String.format(Locale.ROOT, "%s checkpoint: %d tensors, %,d elements%n", format, rows.size(),
                elements));
        int width = rows.stream().mapToInt(r -> r.name().length()).max().orElse(4);
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "  %-" + width + "s  %-8s  %s%n", r.name(), r.dtype(),
                    shape(r.shape())));
        }
        for (String p : placeholders) {
            b.append("  not rebuilt (never called): ").append(p).append('\n');
        }
        return b.toString().stripTrailing();
    }

    /** @return one JSON object: format, tensors (name, dtype, shape), not_rebuilt */
    String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("format", format);
        JsonArray tensors = new JsonArray();
        for (Row r : rows) {
            JsonObject t = new JsonObject();
            t.addProperty("name", r.name());
            t.addProperty("dtype", r.dtype());
            JsonArray s = new JsonArray();
            for (long d : r.shape()) {
                s.add(d);
            }
            t.add("shape", s);
            tensors.add(t);
        }
        o.add("tensors", tensors);
        JsonArray p = new JsonArray();
        placeholders.forEach(p::add);
        o.add("not_rebuilt", p);
        Gson gson = new GsonBuilder().disableHtmlEscaping().create();
        return gson.toJson(o);
    }

    private static String shape(long[] shape) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return b.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
