package org.brainalign.ui.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunInput;
import org.brainalign.io.subject.NsdVolumeSubject;
import org.brainalign.io.subject.SubjectDescription;
import org.brainalign.ui.preferences.WorkbenchPreferences;
import org.brainalign.workflow.slices.RunMaps;

/**
 * The anatomy a run's maps are drawn over: the subject's own T1 or mean EPI on its functional grid, found through the
 * subject description the run recorded as its "subject" input (NSD ships both in func1pt8mm, the demo subject a
 * synthetic T1), else the template the user chose in the preferences. An Algonauts subject has no volume anatomy:
 * its maps are on the surface and are not drawn in the slice viewer.
 */
public final class SubjectAnatomy {

    private SubjectAnatomy() {
    }

    /**
     * @param run a run folder
     * @return the subject's anatomy on its functional grid, if the run's subject is an NSD volume subject that has one
     */
    public static Optional<Path> of(RunFolder run) {
        for (RunInput input : run.info().inputs()) {
            if ("subject".equals(input.role()) && input.path() != null) {
                try {
                    SubjectDescription d = SubjectDescription.read(Path.of(input.path()));
                    if (!"nsd".equals(d.layout())) {
                        return Optional.empty();
                    }
                    return NsdVolumeSubject.at(d.root(), d.subject()).anatomy().stream().findFirst();
                } catch (IOException | RuntimeException e) {
                    // a subject moved or edited since the fit: the template, if any, stands in
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The underlay the viewer opens a map with: for a map of a run (maps/*.nii.gz), the run subject's anatomy or else
     * the preferred template; for any other file none (it may be an anatomy itself: the user adds one by hand).
     *
     * @param file the opened file
     * @return the volume to draw under it
     */
    public static Optional<Path> underlayFor(Path file) {
        Optional<Path> run = RunMaps.runOf(file);
        if (run.isEmpty() || RunMaps.mapOf(file).isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<Path> own = of(RunFolder.open(run.get()));
            if (own.isPresent()) {
                return own;
            }
        } catch (IOException e) {
            // an unreadable run.json: fall back to the template
        }
        return template();
    }

    /** @return the template chosen in the preferences, if it is set and exists */
    public static Optional<Path> template() {
        String t = WorkbenchPreferences.current().underlayTemplate();
        if (t.isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(t);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }
}
