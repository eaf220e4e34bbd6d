/**
 * The FactorTopy encoding model (MODEL.md), its training and evaluation, in plain Java.
 * <p>
 * {@link org.brainalign.engine.factortopy.ReferenceEncoder} transcribes the model loop by loop in double precision
 * with a hand-written backward pass; {@link org.brainalign.engine.factortopy.FusedEncoder} is the fast float
 * formulation used for training and prediction, tested against it. The formulation and its measured speed are
 * described here once the benchmark figures are in.
 */
package org.brainalign.engine.factortopy;
