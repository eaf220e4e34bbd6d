package org.brainalign.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.brainalign.io.Inspection;
import org.brainalign.workflow.command.Arguments;

/**
 * {@code brainalign inspect FILE [--json]}: what a NIfTI or .npy file holds, as nibabel would read it, or the tensors
 * of a checkpoint.
 */
final class InspectCommand implements Command {

    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String summary() {
        return "describe a NIfTI (.nii, .nii.gz, .hdr/.img) or .npy file, or list a checkpoint's tensors";
    }

    @Override
    public String usage() {
        return """
                Usage: brainalign inspect FILE [--json]

                Reads FILE as nibabel does and reports its format, shape, datatype, byte order, the
                qform and sform with their codes, the affine in use (sform, else qform, else pixdim),
                its orientation code, scaling, units and statistics of the scaled values.

                A checkpoint (.pth, .pt, .bin, .pth.tar, .ckpt, .safetensors) is listed instead:
                each tensor's name, element type and shape, read without running anything in the
                file; objects a PyTorch file holds besides tensors (argparse.Namespace, ...) are
                named as "not rebuilt".

                  --json   print one JSON object with the keys format, shape, datatype, byte_order,
                           qform_code, sform_code, affine, qform, sform, scl_slope, scl_inter,
                           vox_offset, pixdim, units, orientation, stats, center_index, center_value
                           (for a checkpoint: format, tensors with name, dtype and shape, not_rebuilt)
                """;
    }

    @Override
    public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
        Arguments args = Arguments.parse(name(), argList, Set.of(), Set.of("json"));
        args.expectPositional(1, "one FILE");
        boolean json = args.has("json");
        Path file = Path.of(args.positional().get(0));
        if (CheckpointListing.accepts(file)) {
            CheckpointListing listing = CheckpointListing.of(file);
            out.println(json ? listing.toJson() : listing.toText());
            return CommandLine.OK;
        }
        Inspection inspection = Inspection.of(Path.of(args.positional().get(0)), CommandLine.progress(err));
        out.println(json ? inspection.toJsonString() : inspection.toText());
        return CommandLine.OK;
    }
}
