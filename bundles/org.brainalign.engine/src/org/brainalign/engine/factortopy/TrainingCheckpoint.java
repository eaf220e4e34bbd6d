package org.brainalign.engine.factortopy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.safetensors.FloatTensor;
import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.io.safetensors.SafetensorsWriter;

/**
 * A training checkpoint is everything a fit needs to continue exactly where it was after its last finished epoch:
 * the parameters, AdamW's moments and step count, the best parameters so far with their validation loss, the
 * early-stopping count, the step and epoch counters and the training curve. The random streams need no state: the
 * split comes from the seed and each epoch's shuffle from the seed and the epoch number. One safetensors file, written
 * atomically, so a run killed at any moment finds the previous epoch's checkpoint intact.
 */
final class TrainingCheckpoint {

    static final String FORMAT = "brainalign-factortopy-checkpoint-1";

    private static final String FIRST = "optimizer.exp_avg.";
    private static final String SECOND = "optimizer.exp_avg_sq.";
    private static final String BEST = "best.";

    /** Settings that may change between a run and its resumption: they do not alter the epochs already run. */
    private static final java.util.Set<String> MAY_CHANGE = java.util.Set.of("max_epochs", "patience");

    final EncoderParameters parameters;
    final EncoderParameters best;
    final EncoderAdamW optimizer;
    int epochs;
    long steps;
    double bestValidationLoss = Double.POSITIVE_INFINITY;
    int bestEpoch;
    int badEpochs;
    boolean finished;
    TrainingCurve curve = new TrainingCurve();

    /**
     * @param parameters the parameters to start from
     * @param optimizer the optimizer, fresh
     */
    TrainingCheckpoint(EncoderParameters parameters, EncoderAdamW optimizer) {
        this.parameters = parameters;
        this.best = parameters.copy();
        this.optimizer = optimizer;
    }

    /**
     * Writes the checkpoint atomically.
     *
     * @param file the file
     * @param config the training configuration
     * @param encoding the positional encoding bounds
     * @param split a fingerprint of the training and validation images
     * @throws IOException if it cannot be written
     */
    void write(Path file, TrainingConfig config, PositionalEncoding encoding, String split) throws IOException {
        LinkedHashMap<String, FloatTensor> tensors = parameters.toTensors("");
        tensors.putAll(optimizer.firstMoment().toTensors(FIRST));
        tensors.putAll(optimizer.secondMoment().toTensors(SECOND));
        tensors.putAll(best.toTensors(BEST));
        Map<String, String> meta = new LinkedHashMap<>(FittedEncoder.describe(parameters.shape(), encoding));
        meta.put("format", FORMAT);
        for (Map.Entry<String, String> e : config.toMap().entrySet()) {
            meta.put("config." + e.getKey(), e.getValue());
        }
        meta.put("epochs", Integer.toString(epochs));
        meta.put("steps", Long.toString(steps));
        meta.put("optimizer_steps", Long.toString(optimizer.steps()));
        meta.put("best_validation_loss", Double.toString(bestValidationLoss));
        meta.put("best_epoch", Integer.toString(bestEpoch));
        meta.put("bad_epochs", Integer.toString(badEpochs));
        meta.put("finished", Boolean.toString(finished));
        meta.put("curve", curve.toCsv());
        meta.put("split", split);
        SafetensorsWriter.write(file, tensors, meta);
    }

    /**
     * Reads a checkpoint and checks that it belongs to this fit.
     *
     * @param file the file
     * @param shape the shape the data give
     * @param config the configuration of this run
     * @param encoding the positional encoding bounds of this run's voxels
     * @param split the fingerprint of this run's training and validation images
     * @return the state, ready to continue
     * @throws IOException if it cannot be read, is damaged, or was made for other data or settings (one sentence)
     */
    static TrainingCheckpoint read(Path file, EncoderShape shape, TrainingConfig config, PositionalEncoding encoding,
            String split) throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Map<String, String> meta = st.metadata();
            if (!FORMAT.equals(meta.get("format"))) {
                throw DataFormatException.of(file, "is not a FactorTopy training checkpoint");
            }
            int n = parseInt(file, meta, "voxels");
            int l = parseInt(file, meta, "layers");
            if (n != shape.voxels() || l != shape.layers()) {
                throw new EncoderInputException("Checkpoint " + file + " was made for " + n + " voxels and " + l
                        + " layers but the data have " + shape.voxels() + " voxels and " + shape.layers() + " layers");
            }
            if (parseInt(file, meta, "channels") != shape.channels() || parseInt(file, meta, "grid") != shape.grid()
                    || parseInt(file, meta, "bottleneck") != shape.bottleneck()
                    || parseInt(file, meta, "hidden") != shape.hidden()) {
                throw new EncoderInputException("Checkpoint " + file + " was made for features or widths other than "
                        + "this run's (channels, grid, bottleneck or hidden width differ)");
            }
            for (Map.Entry<String, String> e : config.toMap().entrySet()) {
                String was = meta.get("config." + e.getKey());
                if (!MAY_CHANGE.contains(e.getKey()) && !e.getValue().equals(was)) {
                    throw new EncoderInputException("Checkpoint " + file + " was made with " + e.getKey() + " = "
                            + was + ", not " + e.getValue() + "; use a new run folder for other settings");
                }
            }
            if (!FittedEncoder.describe(shape, encoding).equals(withoutExtras(meta, shape, encoding))) {
                throw new EncoderInputException("Checkpoint " + file + " was made for voxels at other coordinates");
            }
            if (!split.equals(meta.get("split"))) {
                throw new EncoderInputException("Checkpoint " + file + " was made with other training or validation "
                        + "images than this run's");
            }
            Map<String, float[]> values = new HashMap<>();
            Map<String, long[]> shapes = new HashMap<>();
            for (String name : st.names()) {
                values.put(name, st.readFloats(name));
                shapes.put(name, st.info(name).shape());
            }
            EncoderParameters params = new EncoderParameters(shape);
            EncoderAdamW adam = new EncoderAdamW(shape, config.learningRate(), config.beta1(), config.beta2(),
                    config.eps(),
                    config.weightDecay());
            TrainingCheckpoint cp = new TrainingCheckpoint(params, adam);
            String problem = params.setFrom("", values, shapes);
            problem = problem != null ? problem : adam.firstMoment().setFrom(FIRST, values, shapes);
            problem = problem != null ? problem : adam.secondMoment().setFrom(SECOND, values, shapes);
            problem = problem != null ? problem : cp.best.setFrom(BEST, values, shapes);
            if (problem != null) {
                throw DataFormatException.of(file, problem);
            }
            try {
                cp.epochs = Integer.parseInt(meta.get("epochs"));
                cp.steps = Long.parseLong(meta.get("steps"));
                adam.setSteps(Long.parseLong(meta.get("optimizer_steps")));
                cp.bestValidationLoss = Double.parseDouble(meta.get("best_validation_loss"));
                cp.bestEpoch = Integer.parseInt(meta.get("best_epoch"));
                cp.badEpochs = Integer.parseInt(meta.get("bad_epochs"));
                cp.finished = Boolean.parseBoolean(meta.get("finished"));
                cp.curve = TrainingCurve.parse(meta.get("curve"));
            } catch (RuntimeException e) {
                throw DataFormatException.of(file, "has damaged training state metadata", e);
            }
            return cp;
        }
    }

    private static Map<String, String> withoutExtras(Map<String, String> meta, EncoderShape shape,
            PositionalEncoding encoding) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String key : FittedEncoder.describe(shape, encoding).keySet()) {
            m.put(key, key.equals("format") ? FittedEncoder.FORMAT : meta.get(key));
        }
        return m;
    }

    private static int parseInt(Path file, Map<String, String> meta, String key) throws DataFormatException {
        try {
            return Integer.parseInt(meta.get(key));
        } catch (NumberFormatException e) {
            throw DataFormatException.of(file, "has no usable '" + key + "' in its metadata", e);
        }
    }
}
