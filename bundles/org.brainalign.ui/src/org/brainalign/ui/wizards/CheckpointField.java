package org.brainalign.ui.wizards;

import java.nio.file.Files;
import java.nio.file.Path;

import org.brainalign.engine.backbone.Checkpoint;
import org.eclipse.swt.widgets.Composite;

/**
 * A wizard's backbone checkpoint: a folder (config.json and model.safetensors) or a single weight file, safetensors or
 * a PyTorch file in its library's own layout (.pth, .pt, .bin, .pth.tar, .ckpt) with the optional sidecar JSON beside
 * it ({@link Checkpoint#sidecar}); its chooser offers both, and its check is the one every wizard says.
 */
final class CheckpointField {

    private final PathField field;

    /**
     * @param parent a composite with a three-column grid layout
     * @param onChange called whenever the text changes
     */
    CheckpointField(Composite parent, Runnable onChange) {
        field = PathField.checkpoint(parent, "Checkpoint (folder or file):", onChange);
    }

    /** @return the path, or null when the field is empty or not a path */
    Path path() {
        return field.path();
    }

    /** @param value the new text */
    void set(String value) {
        field.set(value);
    }

    /**
     * @return null when the path is a folder or a weight file, else the page's message: a prompt (starting with "?")
     *         while the field is empty, an error sentence naming the path otherwise
     */
    String check() {
        Path cp = field.path();
        if (cp == null) {
            return "?Choose the backbone's checkpoint: a folder (config.json and model.safetensors) or a PyTorch or "
                    + "safetensors file.";
        }
        if (!Files.exists(cp)) {
            return (Checkpoint.isWeightFile(cp) ? "File " : "Folder ") + cp + " does not exist.";
        }
        if (!Files.isDirectory(cp) && !(Files.isRegularFile(cp) && Checkpoint.isWeightFile(cp))) {
            return "Checkpoint " + cp + " is neither a folder nor a .safetensors, .pth, .pt, .bin, .pth.tar or "
                    + ".ckpt file.";
        }
        return null;
    }

    /**
     * @return what the page may add about the sidecar: its name when the checkpoint is a file with one beside it, else
     *         an empty text
     */
    String sidecarNote() {
        Path cp = field.path();
        if (cp == null || !Files.isRegularFile(cp) || !Files.isRegularFile(Checkpoint.sidecar(cp))) {
            return "";
        }
        return " Settings from " + Checkpoint.sidecar(cp).getFileName() + ".";
    }
}
