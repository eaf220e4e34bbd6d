package org.brainalign.engine.finetune;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.io.safetensors.FloatTensor;
import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.io.safetensors.SafetensorsWriter;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The saved state of an unfinished fine-tuning, everything needed to continue exactly where it stopped: the network's
 * parameters, the head, AdamW's moments and step count, the epoch and the position within it, the epoch's running
 * loss and accuracy, the history of finished epochs and the untrained head's accuracy. The random streams need no
 * state (see {@link Seeds}). One safetensors file with the counters in its metadata, written atomically, so a run
 * killed at any moment finds the previous state intact.
 */
final class FineTuneState {

    /** The file's name in the output folder while fine-tuning runs. */
    static final String FILE = "finetune-state.safetensors";

    private static final String FORMAT = "brainalign-finetune-state-1";
    private static final String NETWORK = "network.";
    private static final String HEAD = "head.";
    private static final String FIRST = "optimizer.exp_avg.";
    private static final String SECOND = "optimizer.exp_avg_sq.";

    /** Epochs finished. */
    int epoch;
    /** Training images of the current epoch already stepped over. */
    int position;
    /** Sum over the current epoch's steps of (batch mean loss x batch size). */
    double lossSum;
    /** Correct training predictions in the current epoch. */
    int correct;
    /** The untrained head's validation accuracy, NaN until measured. */
    double untrainedAccuracy = Double.NaN;
    /** The finished epochs. */
    final List<FineTuneResult.Epoch> history = new ArrayList<>();
    /** Whether this state was read from a file (the run resumes). */
    boolean resumed;

    /**
     * Writes the state atomically.
     *
     * @param file the file
     * @param settings the run's settings, which a resumption must repeat
     * @param classifier the network, head and optimizer
     * @throws IOException if it cannot be written
     */
    void write(Path file, Map<String, String> settings, ImageClassifier classifier) throws IOException {
        LinkedHashMap<String, FloatTensor> tensors = new LinkedHashMap<>();
        classifier.network().parameterTensors().forEach((k, v) -> tensors.put(NETWORK + k, v));
        classifier.headTensors().forEach((k, v) -> tensors.put(HEAD + k, v));
        tensors.putAll(classifier.optimizer().moments(FIRST, SECOND));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        settings.forEach((k, v) -> meta.put("setting." + k, v));
        meta.put("epoch", Integer.toString(epoch));
        meta.put("position", Integer.toString(position));
        meta.put("loss_sum", Double.toString(lossSum));
        meta.put("correct", Integer.toString(correct));
        meta.put("untrained_accuracy", Double.toString(untrainedAccuracy));
        meta.put("optimizer_steps", Long.toString(classifier.optimizer().steps()));
        JsonArray epochs = new JsonArray();
        for (FineTuneResult.Epoch e : history) {
            epochs.add(e.toJson());
        }
        meta.put("history", epochs.toString());
        SafetensorsWriter.write(file, tensors, meta);
    }

    /**
     * Reads a saved state, checks it belongs to this run, and loads it into the classifier (whose training must have
     * started, so that the optimizer exists).
     *
     * @param file the file
     * @param settings this run's settings
     * @param classifier the classifier to load into
     * @return the counters and history
     * @throws FineTuneException if it was made with other settings (naming the first that differs) or is damaged
     * @throws IOException if it cannot be read
     */
    static FineTuneState read(Path file, Map<String, String> settings, ImageClassifier classifier)
            throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Map<String, String> meta = st.metadata();
            if (!FORMAT.equals(meta.get("format"))) {
                throw new FineTuneException(file + ": not a fine-tuning state; delete it or choose another output "
                        + "folder");
            }
            for (Map.Entry<String, String> e : settings.entrySet()) {
                String was = meta.get("setting." + e.getKey());
                if (!e.getValue().equals(was)) {
                    throw new FineTuneException(file + ": the interrupted fine-tuning was started with " + e.getKey()
                            + " = " + was + ", not " + e.getValue() + "; repeat its settings to resume, or choose "
                            + "another output folder");
                }
            }
            Map<String, FloatTensor> network = new HashMap<>();
            Map<String, FloatTensor> head = new HashMap<>();
            Map<String, FloatTensor> moments = new HashMap<>();
            for (String name : st.names()) {
                FloatTensor t = new FloatTensor(st.info(name).shape(), st.readFloats(name));
                if (name.startsWith(NETWORK)) {
                    network.put(name.substring(NETWORK.length()), t);
                } else if (name.startsWith(HEAD)) {
                    head.put(name.substring(HEAD.length()), t);
                } else {
                    moments.put(name, t);
                }
            }
            FineTuneState state = new FineTuneState();
            try {
                classifier.network().setParameters(network);
                classifier.setHead(head);
                String problem = classifier.optimizer().restore(moments, FIRST, SECOND,
                        Long.parseLong(meta.get("optimizer_steps")));
                if (problem != null) {
                    throw new FineTuneException(file + ": damaged, " + problem);
                }
                state.epoch = Integer.parseInt(meta.get("epoch"));
                state.position = Integer.parseInt(meta.get("position"));
                state.lossSum = Double.parseDouble(meta.get("loss_sum"));
                state.correct = Integer.parseInt(meta.get("correct"));
                state.untrainedAccuracy = Double.parseDouble(meta.get("untrained_accuracy"));
                for (JsonElement e : JsonParser.parseString(meta.get("history")).getAsJsonArray()) {
                    state.history.add(FineTuneResult.Epoch.fromJson(e.getAsJsonObject()));
                }
            } catch (RuntimeException e) {
                throw new FineTuneException(file + ": damaged (" + e.getMessage() + "); delete it to start over", e);
            }
            state.resumed = true;
            return state;
        }
    }
}
