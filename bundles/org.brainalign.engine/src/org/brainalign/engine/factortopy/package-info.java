/** The FactorTopy encoding model, its training and evaluation. */
package org.brainalign.engine.factortopy;
