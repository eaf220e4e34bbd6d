package org.brainalign.io.torch.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.torch.PickleReader;
import org.brainalign.io.torch.TorchCheckpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files made to attack a checkpoint reader: code execution through GLOBAL and REDUCE, sizes and offsets that point
 * outside the file, memo tricks, truncation and compression bombs. Each must end in one sentence naming the file, run
 * nothing, and take little memory and time.
 */
class HostileCheckpointTest {

    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path zip(String name, HandMadePickle p, Map<String, byte[]> storages) throws IOException {
        return HandMadePickle.zip(dir.resolve(name), "archive", p.bytes(), storages);
    }

    private DataFormatException refused(Path file) {
        DataFormatException e = assertTimeoutPreemptively(QUICK,
                () -> assertThrows(DataFormatException.class, () -> TorchCheckpoint.open(file).close()));
        assertTrue(e.getMessage().startsWith("File " + file + " "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void osSystemCalledThroughReduceIsRefusedAndNotRun() throws IOException {
        Path marker = dir.resolve("ran");
        HandMadePickle p = new HandMadePickle().proto().global("os", "system").op('(')
                .string("touch " + marker).op('t').op('R').op('.');
        DataFormatException e = refused(zip("system.pth", p, Map.of()));
        assertTrue(e.getMessage().contains("os.system"), e.getMessage());
        assertFalse(Files.exists(marker));
    }

    @Test
    void builtinsEvalIsRefusedEvenInsideAStateDict() throws IOException {
        HandMadePickle p = new HandMadePickle().proto().op('}').string("weight").global("builtins", "eval")
                .op('(').string("__import__('os').system('true')").op('t').op('R').op('s').op('.');
        assertTrue(refused(zip("eval.pth", p, Map.of())).getMessage().contains("builtins.eval"));
        HandMadePickle posix = new HandMadePickle().proto().global("posix", "system").op('(').string("true")
                .op('t').op(0x81).op('.');
        assertTrue(refused(zip("posix.pth", posix, Map.of())).getMessage().contains("posix.system"));
    }

    @Test
    void anUnknownClassBecomesAPlaceholderThatIsNeverCalled() throws IOException {
        ByteBuffer s = HandMadePickle.le(8).putFloat(1.5f).putFloat(-2f);
        HandMadePickle p = new HandMadePickle().proto().op('}').op('(');
        p.string("args").global("somelab.training", "Settings").op(')').op(0x81).op('}').string("lr")
                .integer(3).op('s').op('b');
        p.string("w").tensor("FloatStorage", "0", 2, 0, new long[] { 2 }, new long[] { 1 });
        p.op('u').op('.');
        try (TorchCheckpoint c = TorchCheckpoint.open(zip("unknown.pth", p, Map.of("0", s.array())))) {
            Map<?, ?> root = assertInstanceOf(Map.class, c.root());
            PickleReader.Instance i = assertInstanceOf(PickleReader.Instance.class, root.get("args"));
            assertEquals("somelab.training.Settings", i.callable().toString());
            assertEquals(Map.of("lr", 3L), i.state());
            assertEquals(List.of("w"), List.copyOf(c.tensors().keySet()));
        }
    }

    @Test
    void anAbsurdStorageSizeIsRefusedBeforeAnythingIsAllocated() throws IOException {
        HandMadePickle p = new HandMadePickle().proto().op('}').string("w")
                .tensor("FloatStorage", "0", 1L << 60, 0, new long[] { 1L << 30, 1L << 30 }, new long[] { 1L << 30, 1 })
                .op('s').op('.');
        assertTrue(refused(zip("huge.pth", p, Map.of("0", new byte[16]))).getMessage().contains("storage '0'"));
        HandMadePickle overflow = new HandMadePickle().proto().op('}').string("w")
                .tensor("FloatStorage", "0", Long.MAX_VALUE / 2, 0, new long[] { 4 }, new long[] { 1 }).op('s')
                .op('.');
        refused(zip("overflow.pth", overflow, Map.of("0", new byte[16])));
    }

    @Test
    void aViewReachingBeyondItsStorageIsRefused() throws IOException {
        byte[] four = new byte[16];
        HandMadePickle offset = new HandMadePickle().proto().op('}').string("w")
                .tensor("FloatStorage", "0", 4, 10, new long[] { 2 }, new long[] { 1 }).op('s').op('.');
        assertTrue(refused(zip("offset.pth", offset, Map.of("0", four))).getMessage().contains("reaches element"));
        HandMadePickle stride = new HandMadePickle().proto().op('}').string("w")
                .tensor("FloatStorage", "0", 4, 0, new long[] { 2, 2 }, new long[] { 3, 1 }).op('s').op('.');
        refused(zip("stride.pth", stride, Map.of("0", four)));
        HandMadePickle missing = new HandMadePickle().proto().op('}').string("w")
                .tensor("FloatStorage", "7", 4, 0, new long[] { 4 }, new long[] { 1 }).op('s').op('.');
        assertTrue(refused(zip("missing.pth", missing, Map.of("0", four))).getMessage().contains("data/7"));
        HandMadePickle escape = new HandMadePickle().proto().op('}').string("w")
                .tensor("FloatStorage", "../../etc/passwd", 4, 0, new long[] { 4 }, new long[] { 1 }).op('s')
                .op('.');
        refused(zip("escape.pth", escape, Map.of("0", four)));
    }

    @Test
    void memoTricksEndQuickly() throws IOException {
        // a reference to a memo entry never stored
        HandMadePickle early = new HandMadePickle().proto().op(']').get(5).op('a').op('.');
        assertTrue(refused(zip("early.pth", early, Map.of())).getMessage().contains("memo entry 5"));
        // a list containing itself, and a dict holding itself under two keys
        HandMadePickle self = new HandMadePickle().proto().op('}').put(0).string("a").get(0).op('s').string("b")
                .op(']').put(1).get(1).op('a').get(1).op('a').op('s').op('.');
        try (TorchCheckpoint c = assertTimeoutPreemptively(QUICK,
                () -> TorchCheckpoint.open(zip("self.pth", self, Map.of())))) {
            assertTrue(c.tensors().isEmpty());
        }
        // a list of 40 levels, each holding the next twice: 2^40 paths, each container visited once
        HandMadePickle doubling = new HandMadePickle().proto().op(']').put(0);
        for (int i = 1; i <= 40; i++) {
            doubling.op(']').put(i).get(i - 1).op('a').get(i - 1).op('a').op('0');
        }
        doubling.op('0').get(40).op('.');
        try (TorchCheckpoint c = assertTimeoutPreemptively(QUICK,
                () -> TorchCheckpoint.open(zip("doubling.pth", doubling, Map.of())))) {
            assertTrue(c.tensors().isEmpty());
        }
        // 200,000 nested lists: refused in one sentence, no recursion overflowing the stack
        HandMadePickle deep = new HandMadePickle().proto();
        for (int i = 0; i < 200_000; i++) {
            deep.op(']');
        }
        for (int i = 1; i < 200_000; i++) {
            deep.op('a');
        }
        deep.op('.');
        assertTrue(refused(zip("deep.pth", deep, Map.of())).getMessage().contains("levels deep"));
    }

    @Test
    void lengthsBeyondThePickleAreRefused() throws IOException {
        HandMadePickle string = new HandMadePickle().proto().op('X').raw(HandMadePickle.le(4).putInt(2_000_000_000)
                .array()).op('.');
        assertTrue(refused(zip("string.pth", string, Map.of())).getMessage().contains("runs past"));
        HandMadePickle longInt = new HandMadePickle().proto().op(0x8b).raw(HandMadePickle.le(4).putInt(-1).array());
        refused(zip("long.pth", longInt, Map.of()));
        HandMadePickle opcode = new HandMadePickle().proto().op('i').raw("os\nsystem\n".getBytes()).op('.');
        assertTrue(refused(zip("inst.pth", opcode, Map.of())).getMessage().contains("0x69"));
    }

    @Test
    void truncatedFilesAreRefused() throws IOException {
        Path fixture = TorchCheckpointTest.checkpoints().resolve("torchvision_vit").resolve("vit_state_dict.pth");
        byte[] whole = Files.readAllBytes(fixture);
        for (int keep : new int[] { whole.length / 2, whole.length - 30, 100, 3 }) {
            Path cut = Files.write(dir.resolve("cut" + keep + ".pth"), Arrays.copyOf(whole, keep));
            refused(cut);
        }
        Path legacy = TorchCheckpointTest.checkpoints().resolve("torchvision_vit")
                .resolve("vit_state_dict_legacy_format.pth");
        byte[] old = Files.readAllBytes(legacy);
        refused(Files.write(dir.resolve("legacy-cut.pth"), Arrays.copyOf(old, old.length - 1)));
        refused(Files.write(dir.resolve("legacy-cut2.pth"), Arrays.copyOf(old, 2000)));
        // a storage entry shorter than its tensors need
        HandMadePickle p = new HandMadePickle().proto().op('}').string("w")
                .tensor("FloatStorage", "0", 4, 0, new long[] { 4 }, new long[] { 1 }).op('s').op('.');
        assertTrue(refused(zip("short.pth", p, Map.of("0", new byte[12]))).getMessage().contains("holds only 12"));
        // a pickle cut before STOP
        HandMadePickle unfinished = new HandMadePickle().proto().op('}').string("w");
        assertTrue(refused(zip("unfinished.pth", unfinished, Map.of())).getMessage().contains("STOP"));
        refused(Files.write(dir.resolve("noise.pth"), "not a checkpoint at all".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aCompressionBombStopsAtItsDeclaredSize() throws IOException {
        // data.pkl deflated from 16 MB of a repeated opcode, its directory then claiming 100 bytes
        byte[] pickle = new byte[16 << 20];
        Arrays.fill(pickle, (byte) 'N');
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
        }
        byte[] file = bytes.toByteArray();
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int central = -1;
        for (int i = file.length - 22; i >= 0; i--) {
            if (b.getInt(i) == 0x02014b50) {
                central = i;
                break;
            }
        }
        b.putInt(central + 24, 100);
        Path bomb = Files.write(dir.resolve("bomb.pth"), file);
        assertTrue(refused(bomb).getMessage().contains("does not inflate to the 100 bytes"));
        b.putInt(central + 24, -1);
        Path claims = Files.write(dir.resolve("claims.pth"), file);
        refused(claims);
    }

    @Test
    void aFlippedBitInAStorageIsRefusedWhenItsTensorIsRead() throws IOException {
        Path fixture = Path.of(System.getProperty("brainalign.testdata"), "checkpoints", "torchvision_vit",
                "vit_state_dict.pth");
        byte[] bytes = Files.readAllBytes(fixture);
        // the middle of the file lies in the storages, which only the CRC-32 of their entry protects
        bytes[bytes.length / 2] ^= 0x10;
        Path damaged = Files.write(dir.resolve("damaged.pth"), bytes);
        int refusals = 0;
        try (TorchCheckpoint c = TorchCheckpoint.open(damaged)) {
            for (String name : c.tensors().keySet()) {
                try {
                    c.readFloats(name);
                } catch (DataFormatException e) {
                    refusals++;
                    assertTrue(e.getMessage().startsWith("File " + damaged + " is damaged: the CRC-32 of its entry "
                            + "'vit_state_dict/data/"), e.getMessage());
                }
            }
        }
        assertEquals(1, refusals, "the tensors of the one damaged storage");
    }
}
