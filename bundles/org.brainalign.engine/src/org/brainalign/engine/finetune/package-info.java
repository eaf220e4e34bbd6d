/**
 * Fine-tuning a backbone as an image classifier: a linear head on the global token, AdamW end to end (or with the
 * first blocks frozen), resumable, written back as a checkpoint of the backbone's own family (docs/finetune.md).
 */
package org.brainalign.engine.finetune;
