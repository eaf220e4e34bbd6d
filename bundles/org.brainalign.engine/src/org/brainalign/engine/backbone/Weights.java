package org.brainalign.engine.backbone;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.io.torch.TorchCheckpoint;

/**
 * The tensors of a checkpoint's weight file, whichever format holds them: safetensors (one file or shards) or a
 * PyTorch checkpoint ({@code .pth}, {@code .pt}, {@code .bin}, {@code .pth.tar}, {@code .ckpt}), read without running
 * it. Names are the file's own; a PyTorch file's nested dicts appear as {@code /} levels
 * ({@code model/blocks.0.attn.qkv.weight}).
 */
interface Weights extends AutoCloseable {

    /**
     * @param file a weight file or shard index
     * @return it opened with the reader its name calls for
     * @throws IOException naming the file if it cannot be read
     */
    static Weights open(Path file) throws IOException {
        if (isPyTorch(file)) {
            TorchCheckpoint c = TorchCheckpoint.open(file);
            return new Weights() {

                @Override
                public Path path() {
                    return file;
                }

                @Override
                public List<Path> files() {
                    return List.of(file);
                }

                @Override
                public List<String> names() {
                    return List.copyOf(c.tensors().keySet());
                }

                @Override
                public boolean contains(String name) {
                    return c.tensors().containsKey(name);
                }

                @Override
                public long[] shape(String name) {
                    return c.tensor(name).shape();
                }

                @Override
                public float[] readFloats(String name) throws IOException {
                    return c.readFloats(name);
                }

                @Override
                public void close() throws IOException {
                    c.close();
                }
            };
        }
        SafetensorsFile s = SafetensorsFile.open(file);
        return new Weights() {

            @Override
            public Path path() {
                return s.path();
            }

            @Override
            public List<Path> files() {
                return s.files();
            }

            @Override
            public List<String> names() {
                return List.copyOf(s.names());
            }

            @Override
            public boolean contains(String name) {
                return s.contains(name);
            }

            @Override
            public long[] shape(String name) {
                return s.info(name).shape();
            }

            @Override
            public float[] readFloats(String name) throws IOException {
                return s.readFloats(name);
            }

            @Override
            public void close() throws IOException {
                s.close();
            }
        };
    }

    /**
     * @param file a path
     * @return whether its name is one PyTorch checkpoints are saved under
     */
    static boolean isPyTorch(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".pth") || n.endsWith(".pt") || n.endsWith(".bin") || n.endsWith(".tar")
                || n.endsWith(".ckpt");
    }

    /** @return the file (or shard index) opened */
    Path path();

    /** @return every file the tensors live in */
    List<Path> files();

    /** @return the tensor names in file order */
    List<String> names();

    /**
     * @param name a tensor name
     * @return whether there is such a tensor
     */
    boolean contains(String name);

    /**
     * @param name a tensor name the file holds
     * @return its shape
     */
    long[] shape(String name);

    /**
     * @param name a tensor name the file holds
     * @return its elements as floats, row-major
     * @throws IOException if they cannot be read
     */
    float[] readFloats(String name) throws IOException;

    @Override
    void close() throws IOException;
}
