/**
 * The FactorTopy encoding model (MODEL.md): fitting it to fMRI responses from cached backbone features, applying it,
 * scoring it, and a ridge-regression baseline. Plain Java; no DJL on this path.
 * <h2>Services</h2>
 * {@link org.brainalign.engine.factortopy.EncoderTrainer} fits (AdamW, smooth L1 plus the fading regulariser, seeded
 * split, early stopping, a checkpoint per epoch from which a killed run resumes to the same bits);
 * {@link org.brainalign.engine.factortopy.FittedEncoder} loads, saves (safetensors with the reference's tensor names),
 * predicts and reports the selectors; {@link org.brainalign.engine.factortopy.EncoderEvaluator} scores held-out images
 * per voxel; {@link org.brainalign.engine.factortopy.RidgeBaseline} is the per-layer ridge baseline;
 * {@code org.brainalign.bench.FitBenchmark} (in the benchmarks bundle) measures training steps at paper scale. Features
 * arrive through
 * {@link org.brainalign.engine.factortopy.FeatureSource}.
 * <h2>Two formulations of one model</h2>
 * {@link org.brainalign.engine.factortopy.ReferenceEncoder} is MODEL.md transcribed loop by loop in double precision:
 * per image and layer the bottleneck, grid_sample-style bilinear sampling of every voxel, layer and scale mixing and
 * the readout, with a hand-written backward pass. Its gradients are checked against central finite differences, its
 * outputs against a tiny model worked out by hand. The fused encoder used for training and prediction is checked
 * against it to 1e-5 of each tensor's largest gradient (float rounding over sums of a few hundred terms), and gives the
 * same bits on any number of threads. Both are held to the reference PyTorch implementation itself: on a checkpoint it
 * wrote (releng/reference/factortopy), the double formulation reproduces its float64 encoding, selectors, predictions,
 * loss and gradients to rounding, and the fused one to float precision.
 * <h2>The fused formulation, and why</h2>
 * At paper scale (N = 37,984 voxels, batch 8, 12 layers of 768 channels, D = H = 128) a step is about 19 G
 * multiply-adds: the three selector networks over all voxels (about 11 G forward and backward: they are not small),
 * sampling, mixing and readout with their gradients (about 7 G), the bottlenecks (1.2 G). Composing tensor operations
 * would copy gathered neighbours around (MODEL.md measured that road at 57 s per step); instead every product is a
 * loop of row updates, y += a0 x0 + ... + a7 x7 applied to two destination rows at once, which the JIT turns
 * into AVX fused multiply-adds when all arrays are indexed alike. Speed then depends on row length (rows of 128 floats
 * run at about half the speed of rows of 256 or more), which decided the layouts:
 * <ul>
 * <li>Selectors run feature-major over blocks of 256 voxels (rows of 256), the first layers of the three selectors as
 * one 384 x 192 product; GELU, the exact erf form, is a Chebyshev fit evaluated in short vectorisable passes (Java has
 * no erf, and one long loop body is too big for the JIT to vectorise).</li>
 * <li>The bottlenecks are GEMMs into a token table [layer][cell][image][channel], plus the global token as a 65th
 * cell.</li>
 * <li>Voxels are sorted each step by the grid cell of their sampling position (a counting sort). All voxels of a cell
 * share their four neighbours, so for a group the neighbour and global tokens of every layer and image are gathered
 * once (480 rows of D) and each voxel's dot products with them come from one product of the group's readout weights
 * with that table. From those, per voxel: prediction, loss, the gradients of the layer weights, scale and position
 * (through the bilinear weights), of the readout; the token gradients are accumulated as rows of batch x D. Token
 * gradients then go back through the bottlenecks, mixing gradients through the heads and the selector networks.</li>
 * <li>Work is cut into a fixed number of parts (4 voxel ranges; layers); each part writes its own partial sums, which
 * are added in part order, so results do not depend on thread timing or thread count.</li>
 * </ul>
 * <h2>Kernels</h2> The products and GELU run on the Java Vector API ({@link
 * org.brainalign.engine.factortopy.CpuKernels}) when the JVM has the module jdk.incubator.vector, register-blocked four
 * destination rows by two vectors so that the destination stays in registers while the source rows pass; elsewhere on
 * plain loops the JIT vectorises. Every element's sum runs one fused multiply-add at a time in the same order on both
 * paths, so they give the same bits. What the step costs, how it is measured against the machine's floor, and the
 * figures measured so far are in the user documentation (docs/fitting-speed.md), not here: they change with machines.
 */
package org.brainalign.engine.factortopy;
