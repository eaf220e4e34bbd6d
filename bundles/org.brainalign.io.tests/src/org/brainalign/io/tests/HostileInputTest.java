package org.brainalign.io.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.Inspection;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.io.npy.Npy;
import org.brainalign.io.npy.Npz;
import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.io.subject.TrialTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths and files an adversarial user gives: pipes, folders and devices where files are expected, ids that lead out of
 * their folder, repeated trials, text that is not UTF-8 and JSON that does not parse. Each is refused at once in one
 * sentence naming the file, without a Java class name, a library's advice or a link.
 */
class HostileInputTest {

    @TempDir
    Path dir;

    @FunctionalInterface
    private interface Reader {

        void read(Path file) throws Exception;
    }

    private static final List<Reader> READERS = List.of(NiftiImage::read, Npy::read, Npz::read,
            f -> SafetensorsFile.open(f).close(), TrialTable::read, SubjectDescription::read,
            f -> Inspection.of(f, null));

    /** The message a user would see: one sentence, naming the file, free of library wording. */
    static void assertUserSentence(Exception e, Path file) {
        String m = e.getMessage();
        assertTrue(m != null && m.contains(file.toString()), "names the file: " + m);
        assertFalse(m.contains("\n"), "one line: " + m);
        assertFalse(m.matches("(?s).*\\b(java|javax|com\\.google|jdk)\\.[a-z]+\\..*"), "no class name: " + m);
        assertFalse(m.contains("Exception") || m.contains("http:") || m.contains("https:")
                || m.contains("Strictness") || m.contains("setLenient"), "no library text: " + m);
    }

    private void assertRefusedByEveryReader(Path file, String word) {
        assertRefused(file, word, READERS);
    }

    private void assertRefused(Path file, String word, List<Reader> readers) {
        for (Reader r : readers) {
            Exception e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> assertThrows(IOException.class, () -> r.read(file)));
            assertUserSentence(e, file);
            assertTrue(e.getMessage().contains(word), e.getMessage());
        }
    }

    @Test
    void aFifoIsRefusedAtOnceInsteadOfBlocking() throws Exception {
        Path fifo = dir.resolve("betas.nii");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, p.waitFor());
        assertRefusedByEveryReader(fifo, "named pipe");
    }

    @Test
    void aFolderOrADeviceIsNotAFile() {
        // (a subject given as a folder means the subject.json inside it)
        assertRefused(dir, "is a folder", READERS.subList(0, 5));
        assertRefusedByEveryReader(Path.of("/dev/null"), "device");
    }

    @Test
    void aDanglingLinkIsSaidToBeOne() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("trials.csv"), dir.resolve("gone.csv"));
        assertRefusedByEveryReader(link, "symbolic link to nothing");
    }

    @Test
    void trialImageIdsMayNotLeaveTheStimulusFolderAndATrialShowsOneImage() throws Exception {
        for (String id : List.of("../../etc/passwd", "/etc/passwd", "sub/img", "..", ".hidden")) {
            Path csv = Files.writeString(dir.resolve("trials.csv"), "session,trial,image_id\n1,1,a\n1,2," + id + "\n");
            DataFormatException e = assertThrows(DataFormatException.class, () -> TrialTable.read(csv));
            assertUserSentence(e, csv);
            assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("plain file name"),
                    e.getMessage());
        }
        Path twice = Files.writeString(dir.resolve("twice.csv"), "session,trial,image_id\n1,1,a\n1,2,b\n1,1,c\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> TrialTable.read(twice));
        assertTrue(e.getMessage().contains("line 4 repeats trial 1 of session 1 (first on line 2)"), e.getMessage());
        assertEquals(2, TrialTable.read(Files.writeString(dir.resolve("ok.csv"),
                "session,trial,image_id\n1,1,a\n2,1,a\n")).trials().size(), "the same trial number in two sessions");
    }

    @Test
    void aSubjectNameMayNotLeaveTheRoot() throws Exception {
        Path json = Files.writeString(dir.resolve("subject.json"), """
                {"layout": "nsd", "root": ".", "subject": "../../../x", "trials": "t.csv", "stimuli": "s"}
                """);
        DataFormatException e = assertThrows(DataFormatException.class, () -> SubjectDescription.read(json));
        assertUserSentence(e, json);
        assertTrue(e.getMessage().contains("not a plain folder name"), e.getMessage());
    }

    @Test
    void textThatIsNotUtf8AndJsonThatDoesNotParseAreSaidPlainly() throws Exception {
        Path latin = Files.write(dir.resolve("trials.csv"), "trial,image_id\n1,caf\u00e9\n".getBytes(
                StandardCharsets.ISO_8859_1));
        DataFormatException e = assertThrows(DataFormatException.class, () -> TrialTable.read(latin));
        assertUserSentence(e, latin);
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());

        Path broken = Files.writeString(dir.resolve("subject.json"), "{\"layout\": \"nsd\",\n \"root\": [}");
        e = assertThrows(DataFormatException.class, () -> SubjectDescription.read(broken));
        assertUserSentence(e, broken);
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());

        Path object = Files.writeString(dir.resolve("object.json"), "{\"layout\": {\"a\": 1}}");
        e = assertThrows(DataFormatException.class, () -> SubjectDescription.read(object));
        assertUserSentence(e, object);

        Path header = dir.resolve("broken.safetensors");
        byte[] json = "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]".getBytes(
                StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + json.length + 4).order(
                java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json).putFloat(1f);
        Files.write(header, b.array());
        IOException io = assertThrows(IOException.class, () -> SafetensorsFile.open(header).close());
        assertUserSentence(io, header);
    }
}
