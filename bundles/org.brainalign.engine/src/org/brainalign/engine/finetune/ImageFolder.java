package org.brainalign.engine.finetune;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.brainalign.core.Permutations;

/**
 * An image folder in the usual classification layout: one sub-folder per class, named after the class, holding that
 * class's images (JPEG, PNG, BMP, GIF; hidden files and anything else ignored; files directly in the folder ignored,
 * as torchvision's ImageFolder does). Classes are numbered in the sorted order of their names, images in the sorted
 * order of their file names within a class, so the same folder always gives the same numbering.
 */
public final class ImageFolder {

    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    private final Path folder;
    private final List<String> classes;
    private final List<LabelledImage> images;

    /**
     * One image and its class.
     *
     * @param file the image file
     * @param label the class number, an index into {@link ImageFolder#classes()}
     */
    public record LabelledImage(Path file, int label) {
    }

    /**
     * A division of the images into a training and a validation part, stratified by class.
     *
     * @param training the images trained on, by class then file name
     * @param validation the held-out images accuracy is measured on, by class then file name
     */
    public record Split(List<LabelledImage> training, List<LabelledImage> validation) {

        /** Copies the lists. */
        public Split {
            training = List.copyOf(training);
            validation = List.copyOf(validation);
        }
    }

    private ImageFolder(Path folder, List<String> classes, List<LabelledImage> images) {
        this.folder = folder;
        this.classes = List.copyOf(classes);
        this.images = List.copyOf(images);
    }

    /**
     * Lists an image folder.
     *
     * @param folder the folder with one sub-folder per class
     * @return the listing
     * @throws FineTuneException if the folder is missing, has fewer than two class folders, or a class folder holds
     *         fewer than two images (one to train on, one to validate with), naming it
     * @throws IOException if a folder cannot be listed
     */
    public static ImageFolder scan(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new FineTuneException(folder + ": no such image folder (it should hold one sub-folder per class)");
        }
        List<Path> classFolders;
        try (Stream<Path> s = Files.list(folder)) {
            classFolders = s.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted().toList();
        }
        if (classFolders.size() < 2) {
            throw new FineTuneException(folder + ": found " + classFolders.size() + " class folder(s); an image "
                    + "folder for classification needs one sub-folder per class, at least two");
        }
        List<String> classes = new ArrayList<>();
        List<LabelledImage> images = new ArrayList<>();
        for (Path c : classFolders) {
            List<Path> files;
            try (Stream<Path> s = Files.list(c)) {
                files = s.filter(Files::isRegularFile).filter(p -> !hidden(p)).filter(ImageFolder::isImage).sorted()
                        .toList();
            }
            if (files.size() < 2) {
                throw new FineTuneException(c + ": class folder with " + files.size() + " image(s); each class needs "
                        + "at least two (JPEG, PNG, BMP or GIF), one to train on and one to validate with");
            }
            int label = classes.size();
            classes.add(c.getFileName().toString());
            for (Path f : files) {
                images.add(new LabelledImage(f, label));
            }
        }
        return new ImageFolder(folder, classes, images);
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** @return the folder */
    public Path folder() {
        return folder;
    }

    /** @return the class names, in label order */
    public List<String> classes() {
        return classes;
    }

    /** @return every image, by class then file name */
    public List<LabelledImage> images() {
        return images;
    }

    /**
     * Splits the images of each class at random (seeded) into training and validation: round(fraction x count)
     * images of each class are held out, at least one and never all.
     *
     * @param validationFraction the share to hold out, between 0 and 1 exclusive
     * @param seed the random seed
     * @return the split; the same folder, fraction and seed always give the same split
     */
    public Split split(double validationFraction, long seed) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("the validation fraction must lie between 0 and 1, got "
                    + validationFraction);
        }
        List<LabelledImage> training = new ArrayList<>();
        List<LabelledImage> validation = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            int l = label;
            List<LabelledImage> ofClass = images.stream().filter(i -> i.label() == l).toList();
            int n = ofClass.size();
            int held = (int) Math.max(1, Math.min(n - 1, Math.round(validationFraction * n)));
            int[] order = Permutations.of(n, new SplittableRandom(Seeds.mix(seed, Seeds.SPLIT, label)));
            boolean[] isHeld = new boolean[n];
            for (int k = 0; k < held; k++) {
                isHeld[order[k]] = true;
            }
            for (int k = 0; k < n; k++) {
                (isHeld[k] ? validation : training).add(ofClass.get(k));
            }
        }
        return new Split(training, validation);
    }

    /**
     * The identity of the listing for resuming: the SHA-256 of every image's class, file name and size.
     *
     * @return lower-case hex digest
     * @throws IOException if a file's size cannot be read
     */
    public String fingerprint() throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        for (LabelledImage i : images) {
            String line = classes.get(i.label()) + "/" + i.file().getFileName() + " " + Files.size(i.file()) + "\n";
            digest.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
