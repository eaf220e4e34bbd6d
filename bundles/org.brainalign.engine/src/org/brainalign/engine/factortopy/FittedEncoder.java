package org.brainalign.engine.factortopy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.io.safetensors.SafetensorsWriter;
import org.brainalign.io.safetensors.TensorInfo;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;

/**
 * A fitted encoder is a trained FactorTopy model ready to predict responses and to say, per voxel, which layer,
 * position and scale it reads: its parameters and the bounds of its positional encoding. It is stored as a
 * safetensors file with the reference implementation's tensor names and shapes, so that it moves between this tool
 * and the reference; the bounds and the shape go in the file's metadata. A file from the reference has no bounds:
 * they are then taken from the coordinates given, as the reference computes them.
 */
public final class FittedEncoder {

    /** The metadata value that marks our files. */
    public static final String FORMAT = "brainalign-factortopy-1";

    private static final int PREDICT_BATCH = 8;
    private static final Pattern LOCAL = Pattern.compile("local_token_bottleneck\\.(\\d{1,6})\\.weight");

    private final EncoderParameters parameters;
    private final PositionalEncoding encoding;
    private final String source;

    /**
     * @param parameters the trained parameters (shared, not copied)
     * @param encoding the positional encoding bounds of the fit, or null to take them from the coordinates given
     */
    public FittedEncoder(EncoderParameters parameters, PositionalEncoding encoding) {
        this(parameters, encoding, "the encoder");
    }

    private FittedEncoder(EncoderParameters parameters, PositionalEncoding encoding, String source) {
        this.parameters = parameters;
        this.encoding = encoding;
        this.source = source;
    }

    /** @return the shape */
    public EncoderShape shape() {
        return parameters.shape();
    }

    /** @return the parameters (shared) */
    public EncoderParameters parameters() {
        return parameters;
    }

    /** @return the positional encoding bounds, empty for a reference file that has none */
    public Optional<PositionalEncoding> encoding() {
        return Optional.ofNullable(encoding);
    }

    /**
     * @param shape an encoder shape
     * @param encoding its bounds, or null
     * @return the metadata that describes them
     */
    static Map<String, String> describe(EncoderShape shape, PositionalEncoding encoding) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("layers", Integer.toString(shape.layers()));
        m.put("channels", Integer.toString(shape.channels()));
        m.put("grid", Integer.toString(shape.grid()));
        m.put("voxels", Integer.toString(shape.voxels()));
        m.put("bottleneck", Integer.toString(shape.bottleneck()));
        m.put("hidden", Integer.toString(shape.hidden()));
        if (encoding != null) {
            m.put("encoding_low", join(encoding.low()));
            m.put("encoding_high", join(encoding.high()));
        }
        return m;
    }

    private static String join(double[] v) {
        return v[0] + "," + v[1] + "," + v[2];
    }

    private static double[] split(String text) {
        String[] f = text.split(",");
        if (f.length != 3) {
            throw new NumberFormatException(text);
        }
        return new double[] { Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]) };
    }

    /**
     * Writes the encoder as a safetensors file, atomically.
     *
     * @param file the file
     * @param extra more metadata to store (for example the training configuration), may be empty
     * @throws IOException if it cannot be written
     */
    public void save(Path file, Map<String, String> extra) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(extra);
        meta.putAll(describe(shape(), encoding));
        SafetensorsWriter.write(file, parameters.toTensors(""), meta);
    }

    /**
     * Reads an encoder written by {@link #save} or by the reference implementation.
     *
     * @param file the safetensors file
     * @return the encoder
     * @throws IOException if the file cannot be read or does not hold a FactorTopy encoder (one sentence naming it)
     */
    public static FittedEncoder load(Path file) throws IOException {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Map<String, String> meta = st.metadata();
            TreeSet<Integer> ids = new TreeSet<>();
            for (String name : st.names()) {
                Matcher m = LOCAL.matcher(name);
                if (m.matches()) {
                    ids.add(Integer.parseInt(m.group(1)));
                }
            }
            if (ids.isEmpty() || !st.contains("weight") || !st.contains("space_selector_mlp.1.weight")) {
                throw DataFormatException.of(file, "does not hold a FactorTopy encoder (no bottleneck, readout or "
                        + "selector weights)");
            }
            int layers = ids.size();
            if (ids.first() != 0 || ids.last() != layers - 1) {
                // the reference names bottlenecks by the backbone blocks it was configured with (MODEL.LAYERS)
                throw DataFormatException.of(file, "holds bottlenecks for the layers " + ids + " only; BrainAlign "
                        + "reads an encoder fitted on every layer of its features, 0 to L - 1 without gaps");
            }
            TensorInfo local = st.info("local_token_bottleneck.0.weight");
            TensorInfo readout = st.info("weight");
            TensorInfo first = st.info("space_selector_mlp.1.weight");
            if (local.rank() != 4 || readout.rank() != 2 || first.rank() != 2) {
                throw DataFormatException.of(file, "has encoder tensors of unexpected rank");
            }
            EncoderShape shape;
            PositionalEncoding enc = null;
            try {
                int grid = meta.containsKey("grid") ? Integer.parseInt(meta.get("grid")) : 8;
                shape = new EncoderShape(layers, (int) local.dimension(1), grid, (int) readout.dimension(0),
                        (int) local.dimension(0), (int) first.dimension(0));
                if (meta.containsKey("encoding_low")) {
                    enc = new PositionalEncoding(split(meta.get("encoding_low")), split(meta.get("encoding_high")));
                }
            } catch (IllegalArgumentException | NullPointerException e) {
                throw DataFormatException.of(file, "has unusable encoder metadata: " + e.getMessage(), e);
            }
            EncoderParameters p = new EncoderParameters(shape);
            Map<String, float[]> values = new HashMap<>();
            Map<String, long[]> shapes = new HashMap<>();
            for (ParameterTensor t : p.tensors()) {
                if (st.contains(t.name())) {
                    float[] v = st.readFloats(t.name());
                    for (float x : v) {
                        if (!Float.isFinite(x)) {
                            throw DataFormatException.of(file, "holds " + x + " in its tensor " + t.name()
                                    + ", so it would predict nothing but NaN");
                        }
                    }
                    values.put(t.name(), v);
                    shapes.put(t.name(), st.info(t.name()).shape());
                }
            }
            String problem = p.setFrom("", values, shapes);
            if (problem != null) {
                throw DataFormatException.of(file, problem);
            }
            return new FittedEncoder(p, enc, "encoder " + file);
        }
    }

    /**
     * @param coordinates N x 3 voxel coordinates, in the order of the fit
     * @return the positional encodings, after checking the coordinates fit this encoder
     * @throws EncoderInputException if they are not N x 3 finite numbers
     */
    float[][] encodings(double[][] coordinates) throws EncoderInputException {
        int n = shape().voxels();
        if (coordinates == null || coordinates.length != n) {
            throw new EncoderInputException(source + " was fitted to " + n + " voxels but "
                    + (coordinates == null ? 0 : coordinates.length) + " coordinates were given");
        }
        try {
            PositionalEncoding.checkCoordinates(coordinates);
        } catch (IllegalArgumentException e) {
            throw new EncoderInputException(e.getMessage());
        }
        PositionalEncoding pe = encoding != null ? encoding : PositionalEncoding.fit(coordinates);
        return pe.encodeAllFloat(coordinates);
    }

    /**
     * Checks that features fit this encoder.
     *
     * @param features the features
     * @throws EncoderInputException if their layers, channels or grid differ from the fit's
     */
    void checkFeatures(FeatureSource features) throws EncoderInputException {
        EncoderShape s = shape();
        if (features.layers() != s.layers() || features.channels() != s.channels() || features.grid() != s.grid()) {
            throw new EncoderInputException(features.description() + " have " + features.layers() + " layers of "
                    + features.channels() + " channels on a " + features.grid() + " x " + features.grid()
                    + " grid but " + source + " was fitted on " + s.layers() + " layers of " + s.channels()
                    + " channels on a " + s.grid() + " x " + s.grid() + " grid");
        }
    }

    /**
     * Runs the selectors.
     *
     * @param coordinates the N voxel coordinates of the fit
     * @return x, y, s and p for every voxel
     * @throws EncoderInputException if the coordinates do not fit this encoder
     */
    public SelectorOutputs selectors(double[][] coordinates) throws EncoderInputException {
        float[][] pe = encodings(coordinates);
        try (Workers workers = new Workers(1)) {
            FusedEncoder fused = new FusedEncoder(shape(), pe, 1, workers);
            fused.prepare(parameters, false);
            float[][] p = new float[pe.length][];
            for (int v = 0; v < p.length; v++) {
                p[v] = fused.layerWeights()[v].clone();
            }
            return new SelectorOutputs(fused.x().clone(), fused.y().clone(), fused.scale().clone(), p);
        }
    }

    /** Receives predictions batch by batch, so that a whole subject is predicted without holding them all. */
    @FunctionalInterface
    public interface Predictions {

        /**
         * @param first the position, in the images asked for, of the batch's first image
         * @param rows the batch's predictions, one row of N per image (reused for the next batch: copy what is kept)
         * @param count how many rows are this batch's
         * @throws IOException if the predictions cannot be written where they go
         */
        void accept(int first, float[][] rows, int count) throws IOException;
    }

    /**
     * Predicts the responses of every voxel to some images.
     *
     * @param features the features of the images
     * @param images which images, in the order wanted
     * @param coordinates the N voxel coordinates of the fit
     * @param threads worker threads
     * @param monitor progress in images; cancellation stops within one batch
     * @return images x N predictions
     * @throws IOException if the features cannot be read or do not fit this encoder
     */
    public float[][] predict(FeatureSource features, int[] images, double[][] coordinates, int threads,
            IProgressMonitor monitor) throws IOException {
        float[][] out = new float[images.length][];
        predict(features, images, coordinates, threads, monitor, (first, rows, count) -> {
            for (int i = 0; i < count; i++) {
                out[first + i] = rows[i].clone();
            }
        });
        return out;
    }

    /**
     * Predicts the responses of every voxel to some images, a batch at a time: the heap holds one batch of
     * predictions and features, whatever the number of images.
     *
     * @param features the features of the images
     * @param images which images, in the order wanted
     * @param coordinates the N voxel coordinates of the fit
     * @param threads worker threads
     * @param monitor progress in images; cancellation stops within one batch
     * @param sink receives the predictions in order of the images asked for
     * @throws IOException if the features cannot be read or do not fit this encoder, or the sink fails
     */
    public void predict(FeatureSource features, int[] images, double[][] coordinates, int threads,
            IProgressMonitor monitor, Predictions sink) throws IOException {
        checkFeatures(features);
        float[][] pe = encodings(coordinates);
        checkImages(features, images);
        EncoderShape s = shape();
        SubMonitor sub = SubMonitor.convert(monitor, "Predicting responses", images.length);
        try (Workers workers = new Workers(threads)) {
            FusedEncoder fused = new FusedEncoder(s, pe, PREDICT_BATCH, workers);
            fused.prepare(parameters, false);
            BatchReader reader = new BatchReader(features, PREDICT_BATCH);
            float[][] batchOut = new float[PREDICT_BATCH][s.voxels()];
            for (int start = 0; start < images.length; start += PREDICT_BATCH) {
                int b = Math.min(PREDICT_BATCH, images.length - start);
                if (sub.isCanceled()) {
                    throw new OperationCanceledException();
                }
                sub.split(b);
                reader.read(images, start, b);
                fused.predict(reader.local(), reader.global(), b, batchOut);
                sink.accept(start, batchOut, b);
            }
        }
    }

    /**
     * @param features a feature source
     * @param images image numbers
     * @throws EncoderInputException naming the first image number it does not have
     */
    static void checkImages(FeatureSource features, int[] images) throws EncoderInputException {
        for (int i : images) {
            if (i < 0 || i >= features.imageCount()) {
                throw new EncoderInputException(features.description() + " have no image " + i + " (they have "
                        + features.imageCount() + ")");
            }
        }
    }
}
