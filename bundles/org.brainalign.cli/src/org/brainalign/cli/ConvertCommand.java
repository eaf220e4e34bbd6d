package org.brainalign.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.brainalign.io.torch.SafetensorsExport;
import org.brainalign.io.torch.TorchCheckpoint;
import org.brainalign.workflow.command.Arguments;
import org.brainalign.workflow.command.UsageException;

/** {@code brainalign convert CKPT --out model.safetensors}: a PyTorch checkpoint's tensors as safetensors. */
final class ConvertCommand implements Command {

    @Override
    public String name() {
        return "convert";
    }

    @Override
    public String summary() {
        return "write the tensors of a PyTorch checkpoint (.pth, .pt, .bin, .pth.tar) as a safetensors file";
    }

    @Override
    public String usage() {
        return """
                Usage: brainalign convert CKPT --out FILE.safetensors

                Reads CKPT without running anything in it (zip, legacy or TorchScript container) and
                writes every tensor it holds, under the names `brainalign inspect CKPT` lists, with
                its shape and element type (float16 and bfloat16 stay as they are). Views and
                tensors that share storage are written as separate row-major tensors.
                The output is written under a temporary name and renamed when complete; an
                existing file (or the input itself) is never overwritten.

                  --out FILE   the safetensors file to create
                """;
    }

    @Override
    public int run(List<String> argList, PrintStream out, PrintStream err) throws Exception {
        Arguments args = Arguments.parse(name(), argList, Set.of("out"), Set.of());
        args.expectPositional(1, "one CKPT");
        Path input = Path.of(args.positional().get(0));
        Path target = Path.of(args.require("out"));
        if (!target.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".safetensors")) {
            throw new UsageException(name() + ": --out must name a .safetensors file, not " + target);
        }
        try (TorchCheckpoint c = TorchCheckpoint.open(input)) {
            SafetensorsExport.write(c, target, CommandLine.progress(err));
            out.println("wrote " + c.tensors().size() + " tensors to " + target);
        }
        return CommandLine.OK;
    }
}
