package org.brainalign.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.brainalign.io.Inspection;

/** {@code brainalign inspect FILE [--json]}: what a NIfTI or .npy file holds, as nibabel would read it. */
final class InspectCommand implements Command {

    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String summary() {
        return "describe a NIfTI (.nii, .nii.gz, .hdr/.img) or NumPy .npy file: shape, type, affine, values";
    }

    @Override
    public String usage() {
        return """
                Usage: brainalign inspect FILE [--json]

                Reads FILE as nibabel does and reports its format, shape, datatype, byte order, the
                qform and sform with their codes, the affine in use (sform, else qform, else pixdim),
                its orientation code, scaling, units and statistics of the scaled values.

                  --json   print one JSON object with the keys format, shape, datatype, byte_order,
                           qform_code, sform_code, affine, qform, sform, scl_slope, scl_inter,
                           vox_offset, pixdim, units, orientation, stats, center_index, center_value
                """;
    }

    @Override
    public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
        Arguments args = Arguments.parse(name(), argList, Set.of(), Set.of("json"));
        args.expectPositional(1, "one FILE");
        boolean json = args.has("json");
        Inspection inspection = Inspection.of(Path.of(args.positional().get(0)), CommandLine.progress(err));
        out.println(json ? inspection.toJsonString() : inspection.toText());
        return CommandLine.OK;
    }
}
