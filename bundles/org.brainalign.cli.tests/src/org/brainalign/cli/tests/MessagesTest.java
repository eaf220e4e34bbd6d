package org.brainalign.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.brainalign.testing.SharedData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when a command fails on a bad file: exit code 1 and one line, "brainalign COMMAND: " and one
 * sentence naming the file, with no Java class name, no library's advice and no link; and every such sentence of
 * this test is among those docs/errors.md lists.
 */
public class MessagesTest extends CommandHarness {

    /** A qualified Java name (java.nio..., com.google.gson...) or an exception's simple name. */
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(java|javax|jdk|sun|com|org)\\.[a-z]+\\.|\\b[A-Z][A-Za-z]*(Exception|Error)\\b");
    private static final Pattern LIBRARY_TEXT = Pattern.compile("https?://|Strictness|setLenient|Troubleshooting|"
            + "Input length =|Array must have size|Is a directory$");

    @TempDir
    Path tmp;

    private void assertOneSentence(int expectedCode, String file, String... args) {
        int code = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(args), String.join(" ", args));
        assertEquals(expectedCode, code, String.join(" ", args) + "\n" + err);
        // progress lines may come first; the failure is the last line, and the only one of its kind
        String[] lines = err.strip().split("\n");
        String line = lines[lines.length - 1];
        for (int i = 0; i < lines.length - 1; i++) {
            assertFalse(lines[i].startsWith("brainalign "), "one message: " + err);
        }
        assertTrue(line.startsWith("brainalign " + args[0]), line);
        assertTrue(line.contains(file), "names " + file + ": " + line);
        assertFalse(CLASS_NAME.matcher(line).find(), "no class name: " + line);
        assertFalse(LIBRARY_TEXT.matcher(line).find(), "no library text: " + line);
    }

    @Test
    public void badFilesGiveOneSentenceNamingThem() throws Exception {
        Path fifo = tmp.resolve("pipe.nii");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertOneSentence(1, fifo.toString(), "inspect", fifo.toString());
        assertOneSentence(1, fifo.toString(), "roi", "list", fifo.toString());
        assertOneSentence(1, tmp.toString(), "inspect", tmp.toString());
        assertOneSentence(1, "/dev/null", "inspect", "/dev/null");

        Path npy = Files.write(tmp.resolve("damaged.npy"), new byte[] { (byte) 0x92, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                10, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' ', ' ', '\n' });
        assertOneSentence(1, npy.toString(), "inspect", npy.toString());
        assertFalse(err.contains("NIfTI"), "a damaged .npy is not called a bad NIfTI: " + err);

        Path subject = Files.writeString(tmp.resolve("subject.json"), "{\"layout\": \"nsd\",\n \"root\": [}");
        assertOneSentence(1, subject.toString(), "fit", "--features", tmp.resolve("store").toString(), "--subject",
                subject.toString(), "--out", tmp.resolve("run").toString());
        assertFalse(Files.exists(tmp.resolve("run")), "nothing written");

        Path latin = Files.write(tmp.resolve("latin.json"), "{\"layout\": \"caf\u00e9\"}".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
        assertOneSentence(1, latin.toString(), "ridge", "--features", tmp.resolve("nostore").toString(), "--subject",
                latin.toString(),
                "--out", tmp.resolve("ridge").toString());

        // anatomical.nii holds the value 11881 at its centre (reference-nibabel.json)
        Path atlas = SharedData.nifti("anatomical.nii");
        assertOneSentence(1, "/dev/null", "roi", "mask", atlas.toString(), "--labels", "11881", "--out",
                "/dev/null/mask.nii.gz");
        assertOneSentence(1, atlas.toString(), "roi", "mask", atlas.toString(), "--labels", "1", "--out",
                atlas.toString(), "--force");
    }

    @Test
    public void theErrorTableListsTheseSentences() throws Exception {
        // the documentation lives beside the bundles: find docs/errors.md from the test bundle's folder
        Path docs = Path.of("").toAbsolutePath();
        while (docs != null && !Files.isRegularFile(docs.resolve("docs/errors.md"))) {
            docs = docs.getParent();
        }
        assertTrue(docs != null, "docs/errors.md is found above " + Path.of("").toAbsolutePath());
        String text = Files.readString(docs.resolve("docs/errors.md"));
        for (String sentence : List.of("is a named pipe (FIFO), not a regular file", "is a folder, where a file was"
                + " expected", "is not valid JSON (it breaks at line", "is not UTF-8 text",
                "already exists; pass --force to replace it", "never writes over", "is being written by another",
                "its gzip check fails", "has vox_offset", "repeats trial")) {
            assertTrue(text.contains(sentence), "docs/errors.md lists '" + sentence + "'");
        }
    }
}
