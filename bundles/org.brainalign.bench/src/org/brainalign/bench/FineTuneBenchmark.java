package org.brainalign.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.brainalign.engine.ProcessMemory;
import org.brainalign.engine.ComputeDevice;
import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.DjlRuntime;
import org.brainalign.engine.TorchFloor;
import org.brainalign.engine.backbone.CheckpointException;
import org.brainalign.engine.backbone.Normalization;
import org.brainalign.engine.backbone.TensorSource;
import org.brainalign.engine.backbone.TrainableTransformer;
import org.brainalign.engine.backbone.TransformerSpec;
import org.brainalign.io.safetensors.FloatTensor;
import org.brainalign.engine.finetune.ImageClassifier;
import org.brainalign.engine.finetune.TensorAdamW;

/**
 * The fine-tuning benchmark ({@code brainalign bench finetune}): how many images per second a fine-tuning step
 * (forward, backward, AdamW update of every parameter) handles for a ViT-B/16-sized network (random weights,
 * 224 x 224, 12 blocks of width 768, a 1000-class head), against two baselines measured in the same run: the same
 * network's forward pass alone (a step should cost about three forward passes: the backward pass computes two
 * products per forward product) and one large matrix product (the network is mostly such products); with the
 * process's peak memory. It runs on the device {@link DjlRuntime#device} gives, so a GPU DJL can use is measured the
 * same way.
 */
public final class FineTuneBenchmark {

    /** The benchmark network's shape: ViT-B/16 at 224 px. */
    static final TransformerSpec VIT_B16 = TransformerSpec.builder("benchmark").size(768, 12, 12, 3072).eps(1e-12f)
            .input(16, 14, 224).build();

    private static final int CLASSES = 1000;

    /**
     * What to measure.
     *
     * @param batch images per step
     * @param steps timed steps (after one untimed warm-up), and as many timed forward passes
     * @param device where to run
     */
    public record Options(int batch, int steps, DevicePreference device) {

        /** @return a brief run: 3 steps of 8 images on the CPU */
        public static Options brief() {
            return new Options(8, 3, DevicePreference.CPU);
        }
    }

    /**
     * The figures.
     *
     * @param device the device that ran
     * @param stepImagesPerSecond images per second through whole fine-tuning steps
     * @param forwardImagesPerSecond images per second through the forward pass alone (baseline)
     * @param gemmGflops one large matrix product's GFLOP/s (baseline)
     * @param stepGflops the steps' sustained GFLOP/s, counting the backward pass as two forward passes
     * @param peakResidentMb the process's peak resident memory (VmHWM), MB
     * @param residentBeforeMb the resident memory before the network was built, MB
     * @param peakHeapMb the peak Java heap in use, MB
     */
    public record Report(String device, double stepImagesPerSecond, double forwardImagesPerSecond,
            double gemmGflops, double stepGflops, double peakResidentMb, double residentBeforeMb,
            double peakHeapMb) {
    }

    private FineTuneBenchmark() {
    }

    /**
     * Runs the brief benchmark and prints its figures.
     *
     * @param args ignored
     * @throws CheckpointException never, the random weights fit the spec
     */
    public static void main(String[] args) throws CheckpointException {
        run(Options.brief(), System.out);
    }

    /**
     * Measures and prints.
     *
     * @param options what to measure
     * @param out where to print
     * @return the figures
     * @throws CheckpointException never, the random weights fit the spec
     */
    public static Report run(Options options, PrintStream out) throws CheckpointException {
        int b = options.batch();
        ComputeDevice device = DjlRuntime.device(options.device());
        out.printf(Locale.ROOT, "== fine-tuning benchmark: ViT-B/16-sized network (random weights), 224 x 224, batch "
                + "%d, %d-class head, on %s ==%n", b, CLASSES, device.name());
        double residentBefore = ProcessMemory.residentMb();
        double gemm = TorchFloor.matMulGflops(device, 10);
        out.printf(Locale.ROOT, "baseline: one 1576 x 768 x 3072 matrix product: %.1f GFLOP/s%n", gemm);
        List<String> classes = new ArrayList<>();
        for (int k = 0; k < CLASSES; k++) {
            classes.add("class" + k);
        }
        float[] pixels = new float[b * 3 * 224 * 224];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextDouble(-2, 2);
        }
        int[] labels = new int[b];
        for (int i = 0; i < b; i++) {
            labels[i] = r.nextInt(CLASSES);
        }
        double forward;
        double step;
        long parameters;
        try (ImageClassifier classifier = new ImageClassifier(TrainableTransformer.of(VIT_B16, randomWeights(),
                Normalization.imageNet(3), device), classes)) {
            classifier.logits(pixels, b);
            long t0 = System.nanoTime();
            for (int i = 0; i < options.steps(); i++) {
                classifier.logits(pixels, b);
            }
            forward = options.steps() * b / ((System.nanoTime() - t0) / 1e9);
            out.printf(Locale.ROOT, "baseline: forward pass alone (no gradients): %.2f images/s%n", forward);
            classifier.startTraining(0, TensorAdamW.Settings.TORCH_DEFAULTS);
            parameters = classifier.network().parameterCount() + (768L + 1) * CLASSES;
            classifier.step(pixels, labels, 1e-5);
            t0 = System.nanoTime();
            for (int i = 0; i < options.steps(); i++) {
                classifier.step(pixels, labels, 1e-5);
            }
            step = options.steps() * b / ((System.nanoTime() - t0) / 1e9);
        }
        // multiply-adds per image: per block 4 C^2 (q, k, v, proj) + 2 C H (MLP) per token and 2 T C for the attention
        // scores and mixing, the patch embedding 3 x 16 x 16 x C per patch, the head C x classes
        double tokens = 197;
        double macs = 12 * (tokens * (4.0 * 768 * 768 + 2.0 * 768 * 3072) + 2 * tokens * tokens * 768)
                + 196.0 * 768 * 768 + 768.0 * CLASSES;
        double stepGflops = step * 3 * 2 * macs / 1e9;
        double peak = ProcessMemory.peakResidentMb();
        double heap = ProcessMemory.peakHeapMb();
        out.printf(Locale.ROOT, "fine-tuning step (forward + backward + AdamW on %.1f M parameters): %.2f images/s = "
                + "%.2f x the forward pass alone (about 1/3 expected), %.1f GFLOP/s = %.0f%% of the matrix product "
                + "baseline%n", parameters / 1e6, step, step / forward, stepGflops, 100 * stepGflops / gemm);
        out.printf(Locale.ROOT, "memory: peak resident %.0f MB (%.0f MB before the network), peak Java heap %.0f MB%n",
                peak, residentBefore, heap);
        return new Report(device.name(), step, forward, gemm, stepGflops, peak, residentBefore, heap);
    }

    /** Random weights of a trained network's scales: unit norms, uniform matrices of variance 1 / fan-in. */
    private static TensorSource randomWeights() {
        SplittableRandom seeds = new SplittableRandom(7);
        return (name, shape) -> {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            float[] data = new float[(int) n];
            SplittableRandom r = seeds.split();
            boolean norm = name.endsWith("norm1.weight") || name.endsWith("norm2.weight");
            double scale = shape.length >= 2 ? Math.sqrt(3.0 / shape[shape.length - 1]) : 0.02 * Math.sqrt(3);
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) ((norm ? 1 : 0) + scale * (2 * r.nextDouble() - 1));
            }
            return new FloatTensor(shape, data);
        };
    }

}
