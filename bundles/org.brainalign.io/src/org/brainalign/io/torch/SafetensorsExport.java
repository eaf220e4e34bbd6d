package org.brainalign.io.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.safetensors.SafetensorsWriter;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * Writes the tensors of a PyTorch checkpoint as a safetensors file with the same names, shapes and element types
 * (float16 stays float16), each tensor in row-major order: views are gathered, tensors sharing a storage each get
 * their own bytes, since safetensors has no aliasing. The header's metadata says {@code format: pt}, as Hugging Face
 * writes it.
 */
public final class SafetensorsExport {

    private SafetensorsExport() {
    }

    /**
     * @param checkpoint an open checkpoint
     * @param target the safetensors file to create; it must not exist and must not be the checkpoint itself
     * @param monitor progress in tensors; cancellable (nothing is left behind)
     * @throws IOException naming the target if it exists, or if reading or writing fails
     */
    public static void write(TorchCheckpoint checkpoint, Path target, IProgressMonitor monitor) throws IOException {
        if (Files.exists(target) && Files.isSameFile(target, checkpoint.file())) {
            throw DataFormatException.of(target, "is the checkpoint being converted; choose another output name");
        }
        Map<String, TorchTensor> tensors = checkpoint.tensors();
        byte[] header = header(tensors);
        SubMonitor progress = SubMonitor.convert(monitor, "Writing " + target.getFileName(), tensors.size());
        NewFile.write(target, out -> {
            NewFile.writeFully(out,
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip());
            NewFile.writeFully(out, ByteBuffer.wrap(header));
            for (TorchTensor t : tensors.values()) {
                progress.checkCanceled();
                NewFile.writeFully(out, checkpoint.readBytes(t));
                progress.split(1);
            }
        });
    }

    private static byte[] header(Map<String, TorchTensor> tensors) throws IOException {
        List<SafetensorsWriter.HeaderEntry> entries = new ArrayList<>();
        for (Map.Entry<String, TorchTensor> e : tensors.entrySet()) {
            TorchTensor t = e.getValue();
            entries.add(new SafetensorsWriter.HeaderEntry(e.getKey(), t.dtype().safetensorsCode(), t.shape(),
                    Math.multiplyExact(t.elementCount(), t.dtype().bytes())));
        }
        return SafetensorsWriter.header(entries, Map.of("format", "pt"));
    }
}
