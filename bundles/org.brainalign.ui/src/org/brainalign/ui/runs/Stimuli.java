package org.brainalign.ui.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunInput;
import org.brainalign.io.subject.SubjectDescription;

/**
 * The stimuli of a run are the images its subject saw: the stimulus folder of an NSD subject, the training images of
 * an Algonauts subject, found through the subject description the run recorded as its "subject" input.
 */
public final class Stimuli {

    /** Where an Algonauts subject keeps its training images, below its folder. */
    private static final String ALGONAUTS_IMAGES = "training_split/training_images";

    private Stimuli() {
    }

    /**
     * @param run a run folder
     * @return the folder of its subject's images, if the run recorded a subject description that still exists
     */
    public static Optional<Path> folder(RunFolder run) {
        for (RunInput input : run.info().inputs()) {
            if ("subject".equals(input.role()) && input.path() != null) {
                try {
                    SubjectDescription d = SubjectDescription.read(Path.of(input.path()));
                    Path folder = "algonauts".equals(d.layout()) ? d.root().resolve(ALGONAUTS_IMAGES) : d.stimuli();
                    return folder != null && Files.isDirectory(folder) ? Optional.of(folder) : Optional.empty();
                } catch (IOException | RuntimeException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * @param folder a folder
     * @param limit the most images to list
     * @return its .png, .jpg and .jpeg files, sorted by name, at most limit of them
     * @throws IOException if the folder cannot be listed
     */
    public static List<Path> list(Path folder, int limit) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Stimuli::isImage).sorted().limit(limit).toList();
        }
    }

    /**
     * @param file a file
     * @return whether its name ends in .png, .jpg or .jpeg (any case)
     */
    public static boolean isImage(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }
}
