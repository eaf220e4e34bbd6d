package org.brainalign.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.brainalign.io.roi.RoiCommands;
import org.brainalign.workflow.command.Arguments;
import org.brainalign.workflow.command.UsageException;

/** {@code brainalign roi list|mask}: the labels of an atlas volume, and masks made from them. */
final class RoiCommand implements Command {

    @Override
    public String name() {
        return "roi";
    }

    @Override
    public String summary() {
        return "list the labels of an atlas volume, or write the mask of some of its labels";
    }

    @Override
    public String usage() {
        return """
                Usage: brainalign roi list ATLAS [--labels FILE]
                       brainalign roi mask ATLAS --labels 43,44 --out MASK.nii.gz [--label-file FILE] [--force]

                  list    one line per label present or named: label, name, voxel count
                  mask    writes a uint8 mask (1 inside) on the atlas's grid, with its affine

                ATLAS is a label volume (NIfTI). Names come from a label file next to it
                (ATLAS.txt with "index name [code]" lines, or an FSL-style .xml) or from the NSD
                tables when the file name is an NSD ROI file (prf-visualrois, floc-faces, ...).

                  --labels FILE       (list) the label file to use
                  --labels L1,L2,...  (mask) the labels inside the mask
                  --label-file FILE   (mask) the label file to use
                  --out FILE          (mask) the mask to write (.nii or .nii.gz)
                  --force             (mask) replace an existing FILE (never the atlas or the label file)
                """;
    }

    @Override
    public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
        if (argList.isEmpty()) {
            throw new UsageException(name() + ": expected list or mask");
        }
        String action = argList.get(0);
        List<String> rest = argList.subList(1, argList.size());
        switch (action) {
            case "list" -> {
                Arguments args = Arguments.parse("roi list", rest, Set.of("labels"), Set.of());
                args.expectPositional(1, "one ATLAS");
                out.print(RoiCommands.format(RoiCommands.list(Path.of(args.positional().get(0)), args.path("labels"))));
            }
            case "mask" -> {
                Arguments args = Arguments.parse("roi mask", rest, Set.of("labels", "out", "label-file"),
                        Set.of("force"));
                args.expectPositional(1, "one ATLAS");
                int[] labels = parseLabels(args.require("labels"));
                Path atlas = Path.of(args.positional().get(0));
                Path target = args.outputFile("out", atlas, args.path("label-file"));
                RoiCommands.MaskResult result = RoiCommands.mask(atlas, args.path("label-file"), labels, target);
                out.println("wrote " + result.file() + ": labels " + Arrays.toString(result.labels()) + ", "
                        + result.voxels().size() + " voxels");
            }
            default -> throw new UsageException(name() + ": unknown action '" + action + "', expected list or mask");
        }
        return CommandLine.OK;
    }

    private static int[] parseLabels(String text) throws UsageException {
        try {
            int[] labels = Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .mapToInt(Integer::parseInt).toArray();
            if (labels.length == 0) {
                throw new UsageException("roi mask: --labels needs at least one label");
            }
            return labels;
        } catch (NumberFormatException e) {
            throw new UsageException("roi mask: --labels needs whole numbers separated by commas, got '" + text + "'");
        }
    }
}
