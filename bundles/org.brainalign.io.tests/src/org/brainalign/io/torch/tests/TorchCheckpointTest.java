package org.brainalign.io.torch.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.io.torch.PickleReader;
import org.brainalign.io.torch.TorchCheckpoint;
import org.brainalign.io.torch.TorchDtype;
import org.brainalign.io.torch.TorchTensor;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading the checkpoints PyTorch 1.13 wrote for the reference fixtures: every tensor's path, dtype, shape, offset
 * and strides as PyTorch listed them, values against the safetensors library's copy, the four torchvision containers
 * against each other, non-tensor objects left unbuilt; and hand-made files for what the fixtures lack.
 */
class TorchCheckpointTest {

    @TempDir
    Path dir;

    static Path checkpoints() {
        return SharedData.checkpoint();
    }

    /** One line of a fixture's tensors*.txt: what PyTorch printed for a tensor. */
    private record Listed(String name, long[] shape, String dtype, long offset, long[] stride) {
    }

    private static List<Listed> listing(Path txt) throws IOException {
        List<Listed> out = new ArrayList<>();
        for (String line : Files.readAllLines(txt)) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            long[] shape = longs(f[1]);
            long offset = 0;
            long[] stride = null;
            if (f.length > 3) {
                String extra = f[3];
                offset = Long.parseLong(extra.substring(extra.indexOf("storage_offset=") + 15, extra.indexOf(' ')));
                stride = longs(extra.substring(extra.indexOf("stride=") + 7));
            }
            out.add(new Listed(f[0].substring(1), shape, f[2], offset, stride));
        }
        return out;
    }

    private static long[] longs(String tuple) {
        String inner = tuple.replaceAll("[() ]", "");
        return inner.isEmpty()
                ? new long[0]
                : Arrays.stream(inner.split(",")).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
    }

    private static List<Path> checkpointFiles(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches(".*\\.(pth|bin|pth\\.tar)")).sorted().toList();
        }
    }

    private static Path listingOf(Path file) {
        String name = file.getFileName().toString();
        String stem = name.replaceAll("\\.(pth|bin|pth\\.tar)$", "");
        Path specific = file.resolveSibling("tensors_" + stem + ".txt");
        return Files.exists(specific) ? specific : file.resolveSibling("tensors.txt");
    }

    @Test
    void everyFixtureFileListsItsTensorsAsPyTorchDid() throws IOException {
        int files = 0;
        int tensors = 0;
        try (Stream<Path> folders = Files.list(checkpoints())) {
            for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                for (Path file : checkpointFiles(folder)) {
                    List<Listed> expected = listing(listingOf(file));
                    try (TorchCheckpoint c = TorchCheckpoint.open(file)) {
                        Map<String, TorchTensor> got = c.tensors();
                        assertEquals(expected.stream().map(Listed::name).toList(), List.copyOf(got.keySet()),
                                file.toString());
                        for (Listed l : expected) {
                            TorchTensor t = got.get(l.name());
                            assertEquals(l.dtype(), t.dtype().torchName(), l.name());
                            assertArrayEquals(l.shape(), t.shape(), l.name());
                            assertEquals(l.offset(), t.offset(), l.name());
                            if (l.stride() != null) {
                                assertArrayEquals(l.stride(), t.stride(), l.name());
                            } else {
                                assertTrue(t.isContiguous(), l.name());
                            }
                            // every element readable: the view stays inside its storage
                            assertEquals(t.elementCount(), c.readFloats(l.name()).length);
                            tensors++;
                        }
                    }
                    files++;
                }
            }
        }
        assertEquals(14, files);
        assertTrue(tensors > 800, "tensors checked: " + tensors);
    }

    @Test
    void zipCheckpointEqualsTheSafetensorsLibrarysCopyBitForBit() throws IOException {
        Path folder = checkpoints().resolve("openclip_vit_gelu");
        try (TorchCheckpoint c = TorchCheckpoint.open(folder.resolve("open_clip_pytorch_model.bin"));
                SafetensorsFile s = SafetensorsFile.open(folder.resolve("open_clip_model.safetensors"))) {
            assertEquals("zip", c.format());
            assertEquals(s.names(), c.tensors().keySet());
            for (String name : s.names()) {
                assertArrayEquals(s.info(name).shape(), c.tensor(name).shape(), name);
                assertArrayEquals(s.readFloats(name), c.readFloats(name), name);
            }
        }
    }

    @Test
    void legacySharedStorageAndOldSpellingHoldTheSameValuesAsTheZipFile() throws IOException {
        Path folder = checkpoints().resolve("torchvision_vit");
        try (TorchCheckpoint zip = TorchCheckpoint.open(folder.resolve("vit_state_dict.pth"));
                TorchCheckpoint legacy = TorchCheckpoint.open(folder.resolve("vit_state_dict_legacy_format.pth"));
                TorchCheckpoint shared = TorchCheckpoint.open(folder.resolve("vit_state_dict_shared_storage.pth"));
                TorchCheckpoint old = TorchCheckpoint.open(folder.resolve("vit_b_16-440ac1ae.pth"))) {
            assertEquals("legacy", legacy.format());
            assertEquals(zip.tensors().keySet(), legacy.tensors().keySet());
            assertEquals(zip.tensors().keySet(), shared.tensors().keySet());
            assertEquals(1, shared.tensors().values().stream().map(t -> t.storage().key()).distinct().count());
            assertFalse(shared.tensor("heads.head.weight").isContiguous());
            for (String name : zip.tensors().keySet()) {
                float[] reference = zip.readFloats(name);
                assertArrayEquals(reference, legacy.readFloats(name), name);
                assertArrayEquals(reference, shared.readFloats(name), name);
                String oldName = name.replace("mlp.0.", "mlp.linear_1.").replace("mlp.3.", "mlp.linear_2.");
                assertArrayEquals(reference, old.readFloats(oldName), name);
            }
        }
    }

    @Test
    void aLegacyFileFromABigEndianMachineHoldsLittleEndianStorages() throws IOException {
        Path folder = checkpoints().resolve("torchvision_vit");
        byte[] bytes = Files.readAllBytes(folder.resolve("vit_state_dict_legacy_format.pth"));
        // the system information pickle says little_endian True (NEWTRUE after the key's memo PUT): make it False
        byte[] key = "little_endian".getBytes(StandardCharsets.US_ASCII);
        int at = -1;
        for (int i = 0; i < 200 && at < 0; i++) {
            if (Arrays.equals(bytes, i, i + key.length, key, 0, key.length)) {
                at = i + key.length + 2;
            }
        }
        assertEquals((byte) 0x88, bytes[at], "NEWTRUE after 'little_endian'");
        bytes[at] = (byte) 0x89;
        Path bigEndian = Files.write(dir.resolve("big_endian_machine.pth"), bytes);
        try (TorchCheckpoint zip = TorchCheckpoint.open(folder.resolve("vit_state_dict.pth"));
                TorchCheckpoint legacy = TorchCheckpoint.open(bigEndian)) {
            assertEquals(zip.tensors().keySet(), legacy.tensors().keySet());
            for (String name : zip.tensors().keySet()) {
                assertArrayEquals(zip.readFloats(name), legacy.readFloats(name), name);
            }
        }
    }

    @Test
    void aTorchScriptArchiveReadsItsModulesTensorsAndNotItsCode() throws IOException {
        // made by releng/reference/torchscript/torchscript_fixture.py: torch.jit.save of a scripted tiny ViT, and
        // NumPy's .npz of the same model's state dict
        Path archive = dir.resolve("tiny_vit_scripted.pt");
        Path reference = dir.resolve("tiny_vit_scripted_reference.npz");
        for (Path p : List.of(archive, reference)) {
            try (java.io.InputStream in = TorchCheckpointTest.class.getResourceAsStream("/resources/torchscript/"
                    + p.getFileName())) {
                Files.copy(in, p);
            }
        }
        Map<String, org.brainalign.io.npy.NpyArray> expected = org.brainalign.io.npy.Npz.read(reference);
        try (TorchCheckpoint c = TorchCheckpoint.open(archive)) {
            assertEquals("torchscript", c.format());
            assertEquals(expected.keySet(), c.tensors().keySet());
            assertEquals(TorchDtype.FLOAT16, c.tensor("scale").dtype());
            for (Map.Entry<String, org.brainalign.io.npy.NpyArray> e : expected.entrySet()) {
                assertArrayEquals(e.getValue().shape(), Arrays.stream(c.tensor(e.getKey()).shape()).mapToInt(
                        d -> (int) d).toArray(), e.getKey());
                double[] want = e.getValue().toDoubleArray();
                float[] got = c.readFloats(e.getKey());
                assertEquals(want.length, got.length, e.getKey());
                for (int i = 0; i < got.length; i++) {
                    assertEquals(want[i], got[i], 0, e.getKey() + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void bfloat16AndFloat16StoragesAreWidenedExactly() throws IOException {
        try (TorchCheckpoint bf16 = TorchCheckpoint
                .open(checkpoints().resolve("torchvision_vit_bf16").resolve("vit_state_dict_bf16.pth"))) {
            for (String name : bf16.tensors().keySet()) {
                TorchTensor t = bf16.tensor(name);
                assertEquals(TorchDtype.BFLOAT16, t.dtype());
                ByteBuffer raw = bf16.readBytes(t);
                float[] f = bf16.readFloats(name);
                for (int i = 0; i < f.length; i++) {
                    // a bfloat16 is the upper half of a float32: nothing may be added below it or lost above
                    assertEquals(raw.getShort(2 * i) & 0xffff, Float.floatToRawIntBits(f[i]) >>> 16, name);
                    assertEquals(0, Float.floatToRawIntBits(f[i]) & 0xffff, name);
                }
            }
        }
        try (TorchCheckpoint fp16 = TorchCheckpoint
                .open(checkpoints().resolve("openclip_vit_fp16").resolve("open_clip_pytorch_model.bin"))) {
            TorchTensor t = fp16.tensor("visual.conv1.weight");
            assertEquals(TorchDtype.FLOAT16, t.dtype());
            ByteBuffer raw = fp16.readBytes(t);
            float[] f = fp16.readFloats("visual.conv1.weight");
            for (int i = 0; i < f.length; i++) {
                // every half converts to a float and back without change
                assertEquals(raw.getShort(2 * i), Float.floatToFloat16(f[i]));
            }
            assertEquals(TorchDtype.FLOAT32, fp16.tensor("visual.class_embedding").dtype());
        }
    }

    @Test
    void handMadeHalfAndBfloat16BitPatternsReadAsTheirExactValues() throws IOException {
        // 1, -2, the smallest subnormal, the largest half, infinity, NaN; and bfloat16 1.0, -0.0, 2^-133, 3.38e38
        short[] half = { 0x3c00, (short) 0xc000, 0x0001, 0x7bff, 0x7c00, 0x7e00 };
        float[] halfValues = { 1f, -2f, 0x1p-24f, 65504f, Float.POSITIVE_INFINITY, Float.NaN };
        short[] bf = { 0x3f80, (short) 0x8000, 0x0001, 0x7f7f };
        float[] bfValues = { 1f, -0f, Float.intBitsToFloat(0x00010000), Float.intBitsToFloat(0x7f7f0000) };
        ByteBuffer h = HandMadePickle.le(12);
        for (short s : half) {
            h.putShort(s);
        }
        ByteBuffer b = HandMadePickle.le(8);
        for (short s : bf) {
            b.putShort(s);
        }
        HandMadePickle p = new HandMadePickle().proto().op('}').op('(');
        p.string("half").tensor("HalfStorage", "0", 6, 0, new long[] { 6 }, new long[] { 1 });
        p.string("bf16").tensor("BFloat16Storage", "1", 4, 0, new long[] { 2, 2 }, new long[] { 2, 1 });
        p.op('u').op('.');
        Path file = HandMadePickle.zip(dir.resolve("halves.pt"), "any/prefix/here", p.bytes(),
                Map.of("0", h.array(), "1", b.array()));
        try (TorchCheckpoint c = TorchCheckpoint.open(file)) {
            float[] got = c.readFloats("half");
            for (int i = 0; i < half.length; i++) {
                assertEquals(Float.floatToRawIntBits(halfValues[i]), Float.floatToRawIntBits(got[i]), "half " + i);
            }
            float[] gotBf = c.readFloats("bf16");
            for (int i = 0; i < bf.length; i++) {
                assertEquals(Float.floatToRawIntBits(bfValues[i]), Float.floatToRawIntBits(gotBf[i]), "bf16 " + i);
            }
        }
    }

    @Test
    void viewsReadTheirOwnElementsInRowMajorOrder() throws IOException {
        // storage 0..11; a (3, 2) transposed view from offset 1 with strides (1, 4): [[1,5],[2,6],[3,7]]
        ByteBuffer s = HandMadePickle.le(48);
        for (int i = 0; i < 12; i++) {
            s.putFloat(i);
        }
        HandMadePickle p = new HandMadePickle().proto().op('}').op('(');
        p.string("t").tensor("FloatStorage", "0", 12, 1, new long[] { 3, 2 }, new long[] { 1, 4 });
        p.string("row").tensor("FloatStorage", "0", 12, 8, new long[] { 4 }, new long[] { 1 });
        p.string("scalar").tensor("FloatStorage", "0", 12, 11, new long[] {}, new long[] {});
        p.op('u').op('.');
        Path file = HandMadePickle.zip(dir.resolve("views.pth"), "archive", p.bytes(), Map.of("0", s.array()));
        try (TorchCheckpoint c = TorchCheckpoint.open(file)) {
            assertArrayEquals(new float[] { 1, 5, 2, 6, 3, 7 }, c.readFloats("t"));
            assertArrayEquals(new float[] { 8, 9, 10, 11 }, c.readFloats("row"));
            assertArrayEquals(new float[] { 11 }, c.readFloats("scalar"));
        }
    }

    @Test
    void trainingCheckpointKeepsItsNamespaceAsAnUncalledPlaceholder() throws IOException {
        Path folder = checkpoints().resolve("mae_vit");
        try (TorchCheckpoint training = TorchCheckpoint.open(folder.resolve("checkpoint-399.pth"));
                TorchCheckpoint weights = TorchCheckpoint.open(folder.resolve("mae_pretrain_vit_base.pth"))) {
            Map<?, ?> root = assertInstanceOf(Map.class, training.root());
            PickleReader.Instance args = assertInstanceOf(PickleReader.Instance.class, root.get("args"));
            assertEquals("argparse.Namespace", args.callable().toString());
            assertInstanceOf(Map.class, args.state());
            assertEquals(399L, root.get("epoch"));
            for (String name : weights.tensors().keySet()) {
                assertArrayEquals(weights.readFloats(name), training.readFloats(name), name);
            }
        }
        try (TorchCheckpoint moco = TorchCheckpoint
                .open(checkpoints().resolve("mocov3_vit").resolve("vit-b-300ep.pth.tar"))) {
            TorchTensor tracked = moco.tensor("state_dict/module.base_encoder.head.1.num_batches_tracked");
            assertEquals(TorchDtype.INT64, tracked.dtype());
            assertEquals(0, tracked.shape().length);
        }
    }

    /**
     * A 2.5 GB storage (a sparse file: its bytes cost no disk) lists and gives a view at its end without the heap
     * ever holding more than a sliver of it: only the pickle and the directory are read, elements through maps.
     */
    @Test
    void aMultiGigabyteCheckpointListsWithoutReadingItsStorage() throws IOException {
        long numel = 5L << 27; // 2.5 GiB of float32
        long bytes = numel * 4;
        HandMadePickle p = new HandMadePickle().proto().op('}').op('(');
        p.string("big").tensor("FloatStorage", "0", numel, 0, new long[] { numel }, new long[] { 1 });
        p.string("tail").tensor("FloatStorage", "0", numel, numel - 4, new long[] { 2, 2 }, new long[] { 2, 1 });
        p.op('u').op('.');
        byte[] pickle = p.bytes();
        Path file = dir.resolve("big.pth");
        String dataName = "big/data/0";
        String pickleName = "big/data.pkl";
        try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            long dataOffset = 30 + dataName.length();
            out.write(localHeader(dataName, bytes), 0);
            ByteBuffer tail = HandMadePickle.le(16).putFloat(1).putFloat(2).putFloat(3).putFloat(4).flip();
            out.write(tail, dataOffset + bytes - 16);
            long pickleHeader = dataOffset + bytes;
            out.write(localHeader(pickleName, pickle.length), pickleHeader);
            out.write(ByteBuffer.wrap(pickle), pickleHeader + 30 + pickleName.length());
            long directory = pickleHeader + 30 + pickleName.length() + pickle.length;
            ByteBuffer central = HandMadePickle.le(2 * 46 + dataName.length() + pickleName.length() + 22);
            // the storage is a hole of zeros ending in 1, 2, 3, 4: its CRC-32 is checked before its first read
            java.util.zip.CRC32 dataCrc = new java.util.zip.CRC32();
            ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
            for (long done = 0; done < bytes - 16; done += zeros.capacity()) {
                dataCrc.update(zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - 16 - done)));
            }
            dataCrc.update(tail.rewind());
            java.util.zip.CRC32 pickleCrc = new java.util.zip.CRC32();
            pickleCrc.update(pickle);
            centralEntry(central, dataName, bytes, 0, dataCrc.getValue());
            centralEntry(central, pickleName, pickle.length, pickleHeader, pickleCrc.getValue());
            int size = central.position();
            central.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 2)
                    .putShort((short) 2).putInt(size).putInt((int) directory).putShort((short) 0);
            out.write(central.flip(), directory);
        }
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        try (TorchCheckpoint c = TorchCheckpoint.open(file)) {
            assertArrayEquals(new long[] { numel }, c.tensor("big").shape());
            assertArrayEquals(new float[] { 1, 2, 3, 4 }, c.readFloats("tail"));
            long used = rt.totalMemory() - rt.freeMemory() - before;
            assertTrue(used < 256L << 20, "opening a 2.5 GB checkpoint took " + (used >> 20) + " MB of heap");
        }
    }

    private static ByteBuffer localHeader(String name, long size) {
        ByteBuffer b = HandMadePickle.le(30 + name.length());
        b.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 0).putInt(0).putInt(0)
                .putInt((int) size).putInt((int) size).putShort((short) name.length()).putShort((short) 0);
        b.put(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return b.flip();
    }

    private static void centralEntry(ByteBuffer b, String name, long size, long local, long crc) {
        b.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) 0)
                .putInt(0).putInt((int) crc).putInt((int) size).putInt((int) size).putShort((short) name.length())
                .putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0)
                .putInt((int) local);
        b.put(name.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
