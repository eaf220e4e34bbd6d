package org.brainalign.engine.finetune.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.brainalign.engine.finetune.FineTuneException;
import org.brainalign.engine.finetune.ImageFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image folder layout: class numbering, what counts as an image, the stratified seeded split, the errors. */
class ImageFolderTest {

    @TempDir
    Path dir;

    private Path folder(int... counts) throws IOException {
        Path root = dir.resolve("images");
        String[] names = { "zebra", "apple", "mango" };
        for (int c = 0; c < counts.length; c++) {
            Path d = Files.createDirectories(root.resolve(names[c]));
            for (int i = 0; i < counts[c]; i++) {
                Files.write(d.resolve("img" + i + (i % 2 == 0 ? ".png" : ".JPG")), new byte[i + 1]);
            }
        }
        return root;
    }

    @Test
    void classesAreSortedFoldersAndOnlyImagesCount() throws IOException {
        Path root = folder(3, 2);
        Files.writeString(root.resolve("zebra").resolve("notes.txt"), "not an image");
        Files.write(root.resolve("zebra").resolve(".hidden.png"), new byte[1]);
        Files.write(root.resolve("loose.png"), new byte[1]);
        Files.createDirectories(root.resolve(".cache"));
        ImageFolder f = ImageFolder.scan(root);
        assertEquals(List.of("apple", "zebra"), f.classes());
        assertEquals(5, f.images().size());
        assertEquals(List.of("img0.png", "img1.JPG", "img0.png", "img1.JPG", "img2.png"),
                f.images().stream().map(i -> i.file().getFileName().toString()).toList());
        assertEquals(List.of(0, 0, 1, 1, 1), f.images().stream().map(ImageFolder.LabelledImage::label).toList());
    }

    @Test
    void splitHoldsOutTheRoundedShareOfEachClassAndDependsOnlyOnTheSeed() throws IOException {
        ImageFolder f = ImageFolder.scan(folder(10, 7, 2));
        ImageFolder.Split s = f.split(0.25, 3);
        // zebra: round(2.5) = 3 of 10; apple: round(1.75) = 2 of 7; mango: round(0.5) = 1 of 2 (at least one)
        int[] held = new int[3];
        s.validation().forEach(i -> held[i.label()]++);
        assertEquals(List.of("apple", "mango", "zebra"), f.classes());
        assertEquals(List.of(2, 1, 3), List.of(held[0], held[1], held[2]));
        Set<Path> all = new HashSet<>();
        s.training().forEach(i -> all.add(i.file()));
        s.validation().forEach(i -> assertTrue(all.add(i.file()), "disjoint"));
        assertEquals(19, all.size());
        assertEquals(s, f.split(0.25, 3));
        boolean differs = false;
        for (long seed = 4; seed < 10 && !differs; seed++) {
            differs = !s.validation().equals(f.split(0.25, seed).validation());
        }
        assertTrue(differs, "other seeds hold out other images");
    }

    @Test
    void fingerprintFollowsTheFiles() throws IOException {
        Path root = folder(2, 2);
        String before = ImageFolder.scan(root).fingerprint();
        assertEquals(before, ImageFolder.scan(root).fingerprint());
        Files.write(root.resolve("apple").resolve("img0.png"), new byte[9]);
        assertNotEquals(before, ImageFolder.scan(root).fingerprint());
    }

    @Test
    void unusableFoldersAreNamed() throws IOException {
        Path missing = dir.resolve("nowhere");
        assertTrue(assertThrows(FineTuneException.class, () -> ImageFolder.scan(missing)).getMessage()
                .startsWith(missing + ": no such image folder"));
        Path root = folder(2, 1);
        FineTuneException e = assertThrows(FineTuneException.class, () -> ImageFolder.scan(root));
        assertTrue(e.getMessage().startsWith(root.resolve("apple") + ": class folder with 1 image(s)"),
                e.getMessage());
    }
}
