package org.brainalign.engine.factortopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.NpyArray;
import org.brainalign.io.npy.Npz;
import org.brainalign.io.safetensors.FloatTensor;
import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.io.safetensors.SafetensorsWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * FactorTopy against the reference implementation itself: the PyTorch model of huzeyann/BrainDecodesDeepNets
 * (brainnet/model.py), run with torch 1.13 by releng/reference/factortopy/factortopy_fixtures.py on a tiny model (L =
 * 3, C = 8, D = 32, N = 50, batch 4, its zero-initialised last selector layers perturbed). The fixtures in
 * resources/factortopy hold its state_dict as safetensors under the reference's own names, the voxel coordinates and
 * features as {@code predict} reads them, and what the reference computed from them in float32 and in float64: the
 * positional encoding, the selectors, the predictions, the loss of its training step, selected gradients and one step
 * of the AdamW its configure_optimizers builds.
 *
 * <p>
 * Tolerances: the float64 run of the reference and our double-precision {@link ReferenceEncoder} do the same
 * arithmetic in different orders on the same parameters, so they differ by rounding only: a few hundred roundings of
 * 1.1e-16 (measured below 1e-14 of each quantity's scale), and 1e-12 is asked. The float paths
 * ({@link FittedEncoder#predict}, {@link FusedEncoder}) carry 24 bits; as {@link FusedEncoderTest} argues, their sums
 * of a few hundred terms agree with exact arithmetic to 1e-5 of each tensor's largest value (measured: 3e-6 for our
 * gradients, 7e-6 for the reference's own float32 run), and an error in any term shows far above that.
 */
public class ReferenceImplementationTest {

    /** Between the double formulation and the reference's float64 run: rounding only (measured: below 1e-14). */
    private static final double DOUBLE_TOLERANCE = 1e-12;

    /** Between a float32 path and exact arithmetic, relative to the largest value of the tensor compared. */
    private static final double FLOAT_TOLERANCE = 1e-5;

    /** One unit in the last place of a float in [0.5, 1). */
    private static final double FLOAT_ULP = 0x1p-24;

    @TempDir
    static Path dir;

    private static Path checkpoint;
    private static double[][] coordinates;
    private static InMemoryFeatures features;
    private static float[] local;
    private static float[] global;
    private static Map<String, NpyArray> expected;
    private static JsonObject manifest;
    private static EncoderShape shape;
    private static int batch;

    @BeforeAll
    static void readFixtures() throws IOException {
        checkpoint = fixture("reference.safetensors");
        NpyArray c = Npy.read(fixture("coords.npy"));
        coordinates = new double[c.shape()[0]][3];
        double[] flat = c.toDoubleArray();
        for (int n = 0; n < coordinates.length; n++) {
            System.arraycopy(flat, 3 * n, coordinates[n], 0, 3);
        }
        // features as `brainalign predict` reads an exported .npz: local (B, L, C, G, G) and global (B, L, C)
        Map<String, NpyArray> f = Npz.read(fixture("features.npz"), Set.of("local", "global"));
        int[] ls = f.get("local").shape();
        batch = ls[0];
        local = f.get("local").toFloatArray();
        global = f.get("global").toFloatArray();
        features = new InMemoryFeatures(ls[1], ls[2], ls[3], local, global, "the reference's features");
        expected = Npz.read(fixture("expected.npz"));
        manifest = JsonParser.parseString(Files.readString(fixture("manifest.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        shape = FittedEncoder.load(checkpoint).shape();
    }

    private static Path fixture(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = ReferenceImplementationTest.class.getResourceAsStream("/resources/factortopy/" + name)) {
            assertTrue(in != null, "fixture " + name + " is on the test class path");
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    private static double[] doubles(String name) {
        NpyArray a = expected.get(name);
        assertTrue(a != null, "expected.npz holds " + name);
        return a.toDoubleArray();
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static float[][] targets() {
        double[] t = doubles("targets");
        int n = shape.voxels();
        float[][] out = new float[batch][n];
        for (int b = 0; b < batch; b++) {
            for (int v = 0; v < n; v++) {
                out[b][v] = (float) t[b * n + v];
            }
        }
        return out;
    }

    private static double regularisationWeight() {
        return manifest.get("regulariser_weight").getAsDouble();
    }

    /** The rows of a tensor the fixture keeps, from manifest.json: all, or the first few. */
    private static int keptValues(ParameterTensor t) {
        JsonElement rows = manifest.getAsJsonObject("gradient_rows").get(t.name());
        if (rows == null || rows.isJsonNull()) {
            return t.size();
        }
        return rows.getAsInt() * (t.size() / Math.toIntExact(t.shape()[0]));
    }

    @Test
    public void theReferenceCheckpointLoadsWithItsShape() throws IOException {
        FittedEncoder encoder = FittedEncoder.load(checkpoint);
        assertEquals(new EncoderShape(manifest.get("layers").getAsInt(), manifest.get("channels").getAsInt(),
                manifest.get("grid").getAsInt(), manifest.get("voxels").getAsInt(),
                manifest.get("bottleneck").getAsInt(), manifest.get("hidden").getAsInt()), encoder.shape());
        // a file from the reference has no bounds: the encoding is then fitted to the coordinates given
        assertFalse(encoder.encoding().isPresent());
        // every value as stored (F16 for the selectors' hidden matrices, F32 for the rest; both exact)
        try (SafetensorsFile st = SafetensorsFile.open(checkpoint)) {
            for (ParameterTensor t : encoder.parameters().tensors()) {
                assertTrue(Arrays.equals(st.readFloats(t.name()), t.toFlat()), t.name());
            }
            assertEquals("F16", st.info("layer_selector_mlp.3.weight").dtype());
            assertEquals("F32", st.info("weight").dtype());
        }
    }

    @Test
    public void aReferenceCheckpointOfSomeLayersOnlyIsRefusedByName() throws IOException {
        // the reference names bottlenecks by its MODEL.LAYERS: fitted on blocks 2, 5 and 11 of a backbone, they are
        // local_token_bottleneck.2, .5 and .11; our features hold every layer, so such a file cannot be used as is
        LinkedHashMap<String, FloatTensor> renamed = new LinkedHashMap<>();
        String[] ids = { "2", "5", "11" };
        for (Map.Entry<String, FloatTensor> e : FittedEncoder.load(checkpoint).parameters().toTensors("").entrySet()) {
            String name = e.getKey();
            for (int l = 0; l < ids.length; l++) {
                name = name.replace("_token_bottleneck." + l + ".", "_token_bottleneck.#" + ids[l] + ".");
            }
            renamed.put(name.replace("#", ""), e.getValue());
        }
        Path file = dir.resolve("layers-2-5-11.safetensors");
        SafetensorsWriter.write(file, renamed, Map.of());
        DataFormatException e = assertThrows(DataFormatException.class, () -> FittedEncoder.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("[2, 5, 11]"), e.getMessage());
    }

    @Test
    public void positionalEncodingMatchesTheReference() {
        PositionalEncoding pe = PositionalEncoding.fit(coordinates);
        double[] want64 = doubles("encoding64");
        double[] want32 = doubles("encoding32");
        int rows = want64.length / EncoderShape.ENCODING;
        double[] got = new double[EncoderShape.ENCODING];
        double[] low = pe.low();
        double span = 0;
        for (int a = 0; a < 3; a++) {
            span = Math.max(span, pe.high()[a] - low[a]);
        }
        for (int v = 0; v < rows; v++) {
            pe.encode(coordinates[v], got);
            for (int j = 0; j < got.length; j++) {
                int at = v * got.length + j;
                // sin and cos are bounded by 1: the float64 run differs by rounding of phases below 100
                assertEquals(want64[at], got[j], DOUBLE_TOLERANCE, "float64 encoding of voxel " + v + ", " + j);
                // the float32 run rounds the position (three operations) and the phase: 4 ulps of the phase, plus
                // the rounding of the result
                int axis = j / (2 * EncoderShape.FREQUENCIES);
                int k = (j / 2) % EncoderShape.FREQUENCIES;
                double phase = PositionalEncoding.omega(k) * (coordinates[v][axis] - low[axis])
                        * PositionalEncoding.SPAN / span;
                double tol = 2 * FLOAT_ULP * (4 * Math.max(phase, 1) + 1);
                assertEquals(want32[at], got[j], tol, "float32 encoding of voxel " + v + ", " + j);
            }
        }
    }

    @Test
    public void selectorsMatchTheReference() throws IOException {
        double[] space = doubles("space64");
        double[] layer = doubles("layer64");
        double[] scale = doubles("scale64");
        int nl = shape.layers();
        // double formulation
        ReferenceEncoder ref = new ReferenceEncoder(shape, PositionalEncoding.fit(coordinates).encodeAll(coordinates),
                ReferenceEncoder.toDouble(FittedEncoder.load(checkpoint).parameters()));
        ReferenceEncoder.Selection sel = ref.select();
        // the float path a user calls; x, y, s and p all lie in [-1, 1]
        SelectorOutputs out = FittedEncoder.load(checkpoint).selectors(coordinates);
        int border = 0;
        for (int v = 0; v < shape.voxels(); v++) {
            assertEquals(space[2 * v], sel.x()[v], DOUBLE_TOLERANCE, "x of voxel " + v);
            assertEquals(space[2 * v + 1], sel.y()[v], DOUBLE_TOLERANCE, "y of voxel " + v);
            assertEquals(scale[v], sel.s()[v], DOUBLE_TOLERANCE, "s of voxel " + v);
            assertEquals(space[2 * v], out.x()[v], FLOAT_TOLERANCE, "x of voxel " + v);
            assertEquals(space[2 * v + 1], out.y()[v], FLOAT_TOLERANCE, "y of voxel " + v);
            assertEquals(scale[v], out.scale()[v], FLOAT_TOLERANCE, "s of voxel " + v);
            for (int l = 0; l < nl; l++) {
                assertEquals(layer[v * nl + l], sel.p()[v][l], DOUBLE_TOLERANCE, "p of voxel " + v);
                assertEquals(layer[v * nl + l], out.layerWeights()[v][l], FLOAT_TOLERANCE, "p of voxel " + v);
            }
            if (Math.max(Math.abs(space[2 * v]), Math.abs(space[2 * v + 1])) > 1 - 1.0 / shape.grid()) {
                border++;
            }
        }
        // voxels that sample the outer half of a border cell, where grid_sample's zero padding matters
        assertTrue(border >= 5, "only " + border + " voxels sample the border");
    }

    @Test
    public void predictionsMatchTheReference() throws IOException {
        double[] want64 = doubles("predictions64");
        double[] want32 = doubles("predictions32");
        double scale = maxAbs(want64);
        int n = shape.voxels();
        // as `brainalign predict --encoder reference.safetensors --coords coords.npy --features features.npz` does
        int[] images = new int[batch];
        Arrays.setAll(images, i -> i);
        float[][] got = FittedEncoder.load(checkpoint).predict(features, images, coordinates, 2, null);
        // the double formulation on the same parameters and double encodings
        ReferenceEncoder ref = new ReferenceEncoder(shape, PositionalEncoding.fit(coordinates).encodeAll(coordinates),
                ReferenceEncoder.toDouble(FittedEncoder.load(checkpoint).parameters()));
        double[][] exact = ref.predict(local, global, batch);
        for (int b = 0; b < batch; b++) {
            for (int v = 0; v < n; v++) {
                String at = "prediction of image " + b + ", voxel " + v;
                assertEquals(want64[b * n + v], exact[b][v], DOUBLE_TOLERANCE * scale, at);
                assertEquals(want64[b * n + v], got[b][v], FLOAT_TOLERANCE * scale, at);
                assertEquals(want32[b * n + v], got[b][v], FLOAT_TOLERANCE * scale, at);
            }
        }
    }

    @Test
    public void lossAndGradientsMatchTheReference() throws IOException {
        EncoderParameters params = FittedEncoder.load(checkpoint).parameters();
        PositionalEncoding pe = PositionalEncoding.fit(coordinates);
        float[][] targets = targets();
        double regWeight = regularisationWeight();
        double[] loss64 = doubles("loss64"); // data, regulariser, total as the reference's training_step returns it
        // double formulation: the loss, its two terms and the gradient of every kept value
        ReferenceEncoder ref = new ReferenceEncoder(shape, pe.encodeAll(coordinates),
                ReferenceEncoder.toDouble(params));
        Map<String, double[]> grad = new HashMap<>();
        double total = ref.loss(local, global, batch, targets, regWeight, grad);
        double data = ref.loss(local, global, batch, targets, 0, null);
        assertEquals(loss64[0], data, DOUBLE_TOLERANCE * Math.abs(loss64[0]), "smooth L1 term");
        assertEquals(loss64[1], (total - data) / regWeight, DOUBLE_TOLERANCE, "regulariser");
        assertEquals(loss64[2], total, DOUBLE_TOLERANCE * Math.abs(loss64[2]), "loss");
        // the fused float path the trainer runs
        EncoderParameters fusedGrad = params.zerosLike();
        double fusedLoss;
        try (Workers workers = new Workers(2)) {
            FusedEncoder fused = new FusedEncoder(shape, pe.encodeAllFloat(coordinates), batch, workers);
            fusedLoss = fused.step(params, local, global, batch, targets, regWeight, fusedGrad);
        }
        assertEquals(loss64[2], fusedLoss, FLOAT_TOLERANCE * Math.abs(loss64[2]), "fused loss");
        int compared = 0;
        for (ParameterTensor t : params.tensors()) {
            double[] want = doubles("grad64." + t.name());
            assertEquals(keptValues(t), want.length, t.name());
            double max = maxAbs(want);
            assertTrue(max > 0, t.name() + " has a zero gradient: the test would not see errors in it");
            double[] exact = grad.get(t.name());
            float[] fast = fusedGrad.tensor(t.name()).toFlat();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], exact[i], DOUBLE_TOLERANCE * max, "gradient of " + t.name() + "[" + i + "]");
                assertEquals(want[i], fast[i], FLOAT_TOLERANCE * max, "fused gradient of " + t.name() + "[" + i + "]");
            }
            compared++;
        }
        assertEquals(params.tensors().size(), compared);
    }

    @Test
    public void oneAdamWStepMatchesTheReference() throws IOException {
        // the optimizer our trainer builds by default is the one the reference's configure_optimizers builds
        TrainingConfig config = TrainingConfig.defaults();
        JsonObject opt = manifest.getAsJsonObject("optimizer");
        assertEquals("AdamW", opt.get("class").getAsString());
        assertEquals(opt.get("lr").getAsDouble(), config.learningRate());
        JsonArray betas = opt.getAsJsonArray("betas");
        assertEquals(betas.get(0).getAsDouble(), config.beta1());
        assertEquals(betas.get(1).getAsDouble(), config.beta2());
        assertEquals(opt.get("eps").getAsDouble(), config.eps());
        assertEquals(opt.get("weight_decay").getAsDouble(), config.weightDecay());
        assertFalse(opt.get("amsgrad").getAsBoolean());
        assertEquals(manifest.get("global_step").getAsLong(), 0);
        assertEquals(regularisationWeight(), config.regularisationWeightAt(0), 1e-15);

        JsonArray names = manifest.getAsJsonArray("optimizer_tensors");
        // (1) our AdamW fed the reference's own float32 gradient: the same update up to the rounding of a few float
        // operations on values below 1 (EncoderAdamWTest: 1.2e-7)
        EncoderParameters params = FittedEncoder.load(checkpoint).parameters();
        EncoderParameters before = params.copy();
        EncoderParameters theirs = params.zerosLike();
        for (JsonElement e : names) {
            ParameterTensor t = theirs.tensor(e.getAsString());
            float[] flat = new float[t.size()];
            float[] g = expected.get("grad32." + t.name()).toFloatArray();
            System.arraycopy(g, 0, flat, 0, g.length);
            t.setFlat(flat);
        }
        try (Workers workers = new Workers(2)) {
            newOptimizer(config).update(params, theirs, workers);
        }
        for (JsonElement e : names) {
            String name = e.getAsString();
            double[] want = doubles("after32." + name);
            float[] got = params.tensor(name).toFlat();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1.2e-7, "updated " + name + "[" + i + "]");
            }
        }

        // (2) the whole step as the trainer takes it: our gradient, then our AdamW. The first step moves each value by
        // lr g / (|g| + eps) (EncoderAdamWTest), so a gradient error dg moves it by at most 2 lr |dg| / (|g| + eps): values
        // whose gradient is near zero may go either way, the others must land where the reference's did.
        params.copyFrom(before);
        EncoderParameters ours = params.zerosLike();
        float[][] targets = targets();
        try (Workers workers = new Workers(2)) {
            FusedEncoder fused = new FusedEncoder(shape,
                    PositionalEncoding.fit(coordinates).encodeAllFloat(coordinates), batch, workers);
            fused.step(params, local, global, batch, targets, config.regularisationWeightAt(0), ours);
            newOptimizer(config).update(params, ours, workers);
        }
        int tight = 0;
        int all = 0;
        for (JsonElement e : names) {
            String name = e.getAsString();
            double[] want = doubles("after32." + name);
            double[] g = doubles("grad32." + name);
            double gradError = FLOAT_TOLERANCE * maxAbs(doubles("grad64." + name));
            float[] got = params.tensor(name).toFlat();
            for (int i = 0; i < want.length; i++) {
                double tol = 1.2e-7 + Math.min(2 * config.learningRate(),
                        2 * config.learningRate() * gradError / (Math.abs(g[i]) + config.eps()));
                assertEquals(want[i], got[i], tol, "stepped " + name + "[" + i + "]");
                if (tol < 1e-6) {
                    tight++;
                }
                all++;
            }
        }
        assertTrue(tight > 0.9 * all, "only " + tight + " of " + all + " values were compared tightly");
    }

    private static EncoderAdamW newOptimizer(TrainingConfig config) {
        // as EncoderTrainer builds it
        return new EncoderAdamW(shape, config.learningRate(), config.beta1(), config.beta2(), config.eps(),
                config.weightDecay());
    }

    @Test
    public void savedCheckpointsUseTheReferenceNamesAndShapes() throws IOException {
        // the reference's state_dict, as its load_state_dict(strict=True) demands it
        Map<String, long[]> reference = new LinkedHashMap<>();
        for (JsonElement e : manifest.getAsJsonArray("state_dict")) {
            JsonArray entry = e.getAsJsonArray();
            JsonArray dims = entry.get(1).getAsJsonArray();
            long[] s = new long[dims.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = dims.get(i).getAsLong();
            }
            reference.put(entry.get(0).getAsString(), s);
        }
        FittedEncoder loaded = FittedEncoder.load(checkpoint);
        Path saved = dir.resolve("saved.safetensors");
        loaded.save(saved, Map.of());
        try (SafetensorsFile ours = SafetensorsFile.open(saved);
                SafetensorsFile theirs = SafetensorsFile.open(checkpoint)) {
            assertEquals(new TreeSet<>(reference.keySet()), new TreeSet<>(ours.names()));
            for (Map.Entry<String, long[]> e : reference.entrySet()) {
                assertTrue(Arrays.equals(e.getValue(), ours.info(e.getKey()).shape()), e.getKey() + " shape");
                assertEquals("F32", ours.info(e.getKey()).dtype(), e.getKey());
                assertTrue(Arrays.equals(theirs.readFloats(e.getKey()), ours.readFloats(e.getKey())), e.getKey());
            }
        }
        // and our own file loads back to the same predictions, bit for bit
        int[] images = new int[batch];
        Arrays.setAll(images, i -> i);
        float[][] a = loaded.predict(features, images, coordinates, 1, null);
        float[][] b = FittedEncoder.load(saved).predict(features, images, coordinates, 1, null);
        for (int i = 0; i < images.length; i++) {
            assertTrue(Arrays.equals(a[i], b[i]), "image " + i);
        }
    }
}
