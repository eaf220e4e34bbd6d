package org.brainalign.io.subject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.brainalign.io.DataFormatException;

/**
 * Where each trial of a trial table lies among a subject's betas files, and which response row it feeds: the plan
 * is made from the table and the volume count of every session before any beta is read, so a table that names a
 * trial no file holds is refused first. Rows follow the images' first appearance in the table; trials of sessions
 * not loaded are left out, and so are images whose trials all lie there.
 */
final class TrialPlan {

    /** One trial to read: the volume in its session's betas file and the response row it is averaged into. */
    record Trial(int volume, int row) {
    }

    private final List<String> imageIds;
    private final Map<Integer, List<Trial>> bySession;

    private TrialPlan(List<String> imageIds, Map<Integer, List<Trial>> bySession) {
        this.imageIds = imageIds;
        this.bySession = bySession;
    }

    /**
     * @param table the trial table; without a session column, trial numbers count on across the sessions in order
     * @param volumes every session's number of volumes, by session number
     * @param wanted the sessions to load, each one of the volumes' keys
     * @param onlyImages the images whose trials to keep, or null for every image
     * @param betasDir the betas folder, for messages
     * @return the plan
     * @throws DataFormatException if the table names a trial that no betas file holds
     */
    static TrialPlan of(TrialTable table, Map<Integer, Integer> volumes, List<Integer> wanted,
            java.util.Set<String> onlyImages, Path betasDir) throws DataFormatException {
        LinkedHashMap<String, Integer> imageRows = new LinkedHashMap<>();
        Map<Integer, List<Trial>> bySession = new TreeMap<>();
        for (TrialTable.Trial t : table.trials()) {
            int session;
            int volume;
            if (table.hasSessions()) {
                session = t.session();
                volume = t.trial() - 1;
            } else {
                session = -1;
                volume = t.trial() - 1;
                for (Map.Entry<Integer, Integer> e : volumes.entrySet()) {
                    if (volume < e.getValue()) {
                        session = e.getKey();
                        break;
                    }
                    volume -= e.getValue();
                }
            }
            Integer count = volumes.get(session);
            if (count == null || volume >= count) {
                throw DataFormatException.of(table.file(), "line " + t.line() + " names trial " + t.trial()
                        + (table.hasSessions() ? " of session " + t.session() : "")
                        + ", which no betas file in " + betasDir + " holds");
            }
            if (!wanted.contains(session) || onlyImages != null && !onlyImages.contains(t.imageId())) {
                continue;
            }
            int row = imageRows.computeIfAbsent(t.imageId(), k -> imageRows.size());
            bySession.computeIfAbsent(session, k -> new ArrayList<>()).add(new Trial(volume, row));
        }
        return new TrialPlan(List.copyOf(imageRows.keySet()), bySession);
    }

    /** @return the image ids of the response rows, in row order */
    List<String> imageIds() {
        return imageIds;
    }

    /** @return the trials to read, by session number in ascending order; sessions without trials are absent */
    Map<Integer, List<Trial>> bySession() {
        return bySession;
    }
}
