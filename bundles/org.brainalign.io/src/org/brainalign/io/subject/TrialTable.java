package org.brainalign.io.subject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.brainalign.io.InputFile;
import org.brainalign.io.TextFile;
import org.brainalign.io.DataFormatException;

/**
 * A trial table says which image was shown in each fMRI trial (NSD's design, reduced to what fitting needs). It is a
 * CSV file with a header line naming its columns, in any order and case: {@code trial} and {@code image_id}, and
 * optionally {@code session}. Trial numbers start at 1. With a session column, a trial number counts within its
 * session (1..750 in NSD); without it, trial numbers run on across the session files in session order (NSD's
 * session 2 starts at trial 751). An image id is any text without commas; the stimulus of image id X is the file
 * X.png, X.jpg or X.jpeg in the stimulus folder. Blank lines are skipped; quotes are not supported.
 *
 * <pre>
 * trial,image_id
 * 1,nsd-46003
 * 2,nsd-61883
 * </pre>
 */
public final class TrialTable {

    /**
     * One trial.
     *
     * @param session the session (1-based), or 0 when the table has no session column
     * @param trial the trial number (1-based, within the session when session is not 0)
     * @param imageId the image shown
     * @param line the CSV line, for messages
     */
    public record Trial(int session, int trial, String imageId, int line) {
    }

    private final Path file;
    private final List<Trial> trials;
    private final boolean hasSessions;

    private TrialTable(Path file, List<Trial> trials, boolean hasSessions) {
        this.file = file;
        this.trials = List.copyOf(trials);
        this.hasSessions = hasSessions;
    }

    /**
     * @param file the CSV file
     * @return the table
     * @throws DataFormatException if the file is missing, has no trial/image_id header or a malformed line
     * @throws IOException if it cannot be read
     */
    public static TrialTable read(Path file) throws IOException {
        InputFile.check(file);
        List<String> lines = TextFile.utf8(file).lines().toList();
        if (lines.isEmpty()) {
            throw DataFormatException.of(file, "is empty; a trial table starts with the header trial,image_id");
        }
        List<String> header = Arrays.stream(lines.get(0).replace("\uFEFF", "").split(",", -1))
                .map(s -> s.strip().toLowerCase()).toList();
        int trialCol = header.indexOf("trial");
        int imageCol = header.indexOf("image_id");
        int sessionCol = header.indexOf("session");
        if (trialCol < 0 || imageCol < 0) {
            throw DataFormatException.of(file, "has the header '" + lines.get(0)
                    + "', but a trial table needs the columns trial and image_id");
        }
        List<Trial> trials = new ArrayList<>();
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != header.size()) {
                throw DataFormatException.of(file, "line " + (n + 1) + " has " + cells.length + " cells, the header "
                        + header.size());
            }
            try {
                int trial = Integer.parseInt(cells[trialCol].strip());
                int session = sessionCol < 0 ? 0 : Integer.parseInt(cells[sessionCol].strip());
                String image = cells[imageCol].strip();
                if (trial < 1 || (sessionCol >= 0 && session < 1) || image.isEmpty()) {
                    throw new NumberFormatException();
                }
                if (!image.matches("[^/\\\\\\p{Cntrl}]+") || image.startsWith(".")) {
                    // ids name files in the stimulus folder: nothing may lead out of it
                    throw DataFormatException.of(file, "line " + (n + 1) + " names the image '" + image
                            + "', which is not a plain file name (no folders, no leading dot)");
                }
                Integer first = seen.putIfAbsent(session + "/" + trial, n + 1);
                if (first != null) {
                    throw DataFormatException.of(file, "line " + (n + 1) + " repeats trial " + trial
                            + (sessionCol >= 0 ? " of session " + session : "") + " (first on line " + first
                            + "): a trial shows one image");
                }
                trials.add(new Trial(session, trial, image, n + 1));
            } catch (NumberFormatException e) {
                throw DataFormatException.of(file, "line " + (n + 1) + " ('" + line
                        + "') needs a trial number from 1, an image id" + (sessionCol >= 0
                                ? " and a session from 1"
                                : ""));
            }
        }
        return new TrialTable(file, trials, sessionCol >= 0);
    }

    /** @return the file it was read from */
    public Path file() {
        return file;
    }

    /** @return the trials, in file order */
    public List<Trial> trials() {
        return trials;
    }

    /** @return whether the table numbers trials within sessions */
    public boolean hasSessions() {
        return hasSessions;
    }
}
