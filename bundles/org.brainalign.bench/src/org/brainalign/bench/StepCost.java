package org.brainalign.bench;

import org.brainalign.engine.factortopy.EncoderShape;
import org.brainalign.engine.factortopy.FusedEncoder;
import org.brainalign.engine.factortopy.SelectorKind;

/**
 * The arithmetic of one fused training step, counted in multiply-adds of its products and split by the phases of
 * {@link FusedEncoder#PHASES}, from the encoder's shape and the batch. Per voxel the three selectors cost E H + H H + H
 * K forward (E = 192 encoding features, H hidden units, K = 2, L or 1 outputs) and 2 H H + H E + 2 H K backward (the
 * input's gradient is not needed); sampling reads at most four neighbour cells and the global token of every layer
 * for every image, B L 5 D multiply-adds for the dot products with the readout weight and as many again for the
 * readout's and the tokens' gradients; the bottlenecks are B L (G G + 1) C D each way. Elementwise work (GELU, heads,
 * AdamW) is left out: it is a few percent of these at the paper's scale. A FLOP is half a multiply-add.
 *
 * @param selectorsForward multiply-adds of the selector networks forward
 * @param bottleneckForward multiply-adds of the local and global bottlenecks forward
 * @param sampling multiply-adds of sampling, mixing, readout and their gradients
 * @param bottleneckBackward multiply-adds of the bottlenecks' weight gradients
 * @param selectorsBackward multiply-adds of the selector networks backward
 */
public record StepCost(double selectorsForward, double bottleneckForward, double sampling, double bottleneckBackward,
        double selectorsBackward) {

    /** Neighbour slots a voxel reads per layer and image: four bilinear neighbours and the global token. */
    static final int SLOTS = 5;

    /**
     * @param shape the encoder shape
     * @param batch images per step
     * @return the step's multiply-adds per phase
     */
    public static StepCost of(EncoderShape shape, int batch) {
        double n = shape.voxels();
        double h = shape.hidden();
        double e = EncoderShape.ENCODING;
        double outputs = 0;
        for (SelectorKind k : SelectorKind.values()) {
            outputs += k.outputs(shape.layers());
        }
        double selectorsForward = n * (SelectorKind.values().length * (e * h + h * h) + h * outputs);
        double selectorsBackward = n * (SelectorKind.values().length * (2 * h * h + h * e) + 2 * h * outputs);
        double bottleneck = (double) batch * shape.layers() * (shape.cells() + 1) * shape.channels()
                * shape.bottleneck();
        double sampling = 3 * n * batch * shape.layers() * SLOTS * shape.bottleneck();
        return new StepCost(selectorsForward, bottleneck, sampling, bottleneck, selectorsBackward);
    }

    /** @return the multiply-adds of each phase, in the order of {@link FusedEncoder#PHASES} */
    public double[] phases() {
        return new double[] { selectorsForward, bottleneckForward, sampling, bottleneckBackward, selectorsBackward };
    }

    /** @return floating-point operations of the whole step, two per multiply-add */
    public double flops() {
        return 2 * (selectorsForward + bottleneckForward + sampling + bottleneckBackward + selectorsBackward);
    }
}
