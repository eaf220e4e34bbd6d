package org.brainalign.io.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.brainalign.io.FolderLock;
import org.brainalign.io.OutputRefusedException;
import org.brainalign.io.OutputTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output policy every command shares, and the folder lock of stores and runs. */
class OutputTargetTest {

    @TempDir
    Path dir;

    @Test
    void anInputIsNeverAnOutputNotEvenWithForceOrThroughALink() throws Exception {
        Path input = Files.writeString(dir.resolve("coords.npy"), "data");
        OutputRefusedException e = assertThrows(OutputRefusedException.class,
                () -> OutputTarget.checkFile(input, true, List.of(input)));
        assertTrue(e.getMessage().contains("coords.npy") && e.getMessage().contains("never writes over"),
                e.getMessage());
        Path link = Files.createSymbolicLink(dir.resolve("alias.npy"), input);
        assertThrows(OutputRefusedException.class, () -> OutputTarget.checkFile(link, true, List.of(input)));
        Path dotted = dir.resolve("sub/../coords.npy");
        Files.createDirectories(dir.resolve("sub"));
        assertThrows(OutputRefusedException.class, () -> OutputTarget.checkFile(dotted, true, List.of(input)));
    }

    @Test
    void aFileOfAnInputFolderIsRefusedButANewFileBesideItsFilesIsNot() throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        Path data = Files.writeString(store.resolve("features.f16"), "halves");
        assertThrows(OutputRefusedException.class, () -> OutputTarget.checkFile(data, true, List.of(store)));
        OutputTarget.checkFile(store.resolve("new.npz"), false, List.of(store));
    }

    @Test
    void anExistingFileNeedsForce() throws Exception {
        Path old = Files.writeString(dir.resolve("pred.npy"), "old");
        OutputRefusedException e = assertThrows(OutputRefusedException.class,
                () -> OutputTarget.checkFile(old, false, List.of()));
        assertTrue(e.getMessage().contains("--force") && e.getMessage().contains("pred.npy"), e.getMessage());
        OutputTarget.checkFile(old, true, List.of());
        OutputTarget.checkFile(dir.resolve("absent.npy"), false, List.of());
        assertThrows(OutputRefusedException.class, () -> OutputTarget.checkFile(dir, true, List.of()));
    }

    @Test
    void aFolderMustBeEmptyUnlessForcedAndNeverHoldOrLieInAnInput() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        OutputTarget.checkFolder(out, false, List.of());
        Files.writeString(out.resolve("drift.csv"), "x");
        assertThrows(OutputRefusedException.class, () -> OutputTarget.checkFolder(out, false, List.of()));
        OutputTarget.checkFolder(out, true, List.of());
        Path run = Files.createDirectories(dir.resolve("run"));
        assertThrows(OutputRefusedException.class, () -> OutputTarget.checkFolder(run, true, List.of(run)));
        assertThrows(OutputRefusedException.class,
                () -> OutputTarget.checkFolder(run.resolve("drift"), true, List.of(run)));
        assertThrows(OutputRefusedException.class, () -> OutputTarget.checkFolder(dir, true, List.of(run)));
    }

    @Test
    void aSecondWriterInThisProcessIsRefused() throws Exception {
        Path store = dir.resolve("store");
        try (FolderLock first = FolderLock.acquire(store)) {
            OutputRefusedException e = assertThrows(OutputRefusedException.class, () -> FolderLock.acquire(store));
            assertTrue(e.getMessage().contains("being written"), e.getMessage());
            assertTrue(OutputTarget.isEmptyFolder(store), "the lock file alone leaves a folder empty");
        }
        FolderLock.acquire(store).close();
    }

    /** Another process holds the lock, is refused while alive, and its lock goes with it when killed with -9. */
    @Test
    void theLockOfAKilledProcessIsStale() throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        Path holder = Files.writeString(dir.resolve("Holder.java"), """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                public class Holder {
                    public static void main(String[] a) throws Exception {
                        FileChannel c = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE,
                                StandardOpenOption.WRITE);
                        c.lock();
                        System.out.println("locked");
                        Thread.sleep(60_000);
                    }
                }
                """);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), holder.toString(), store.resolve(FolderLock.FILE).toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine());
            assertThrows(OutputRefusedException.class, () -> FolderLock.acquire(store));
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.exists(store.resolve(FolderLock.FILE)), "the killed process left its lock file");
        FolderLock.acquire(store).close();
    }
}
