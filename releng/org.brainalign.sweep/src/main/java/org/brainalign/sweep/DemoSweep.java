package org.brainalign.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.brainalign.workflow.demo.DemoBrain;
import org.brainalign.workflow.demo.DemoNetwork;
import org.brainalign.workflow.demo.DemoStimuli;
import org.brainalign.workflow.demo.DemoSubjectWriter;
import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.features.Extractor;
import org.brainalign.engine.features.FeatureStore;
import org.brainalign.io.subject.SubjectDescription;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;

/**
 * A small grid made on this machine from the demo's parts, for the sweep's benchmark and tests: demo subjects (the
 * demo's brain planted with seeds 1, 2, ..., responses made from the features of a third demo network), demo networks
 * "net-a", "net-b", ... (6 blocks of 96, weight seeds 11, 12, ...), one shared stimulus set, and SWEEP.json naming
 * them with seeds 0, 1, ...
 */
public final class DemoSweep {

    private DemoSweep() {
    }

    /**
     * Writes the grid's inputs and its plan.
     *
     * @param root a new or empty folder
     * @param subjects subjects (s1, s2, ...)
     * @param networks backbones (net-a, net-b, ...)
     * @param seeds fit seeds (0, 1, ...)
     * @param images stimuli
     * @param epochs most epochs of each fit
     * @param monitor progress
     * @return the plan file
     * @throws IOException if a file cannot be written
     */
    public static Path write(Path root, int subjects, int networks, int seeds, int images, int epochs,
            IProgressMonitor monitor) throws IOException {
        SubMonitor sub = SubMonitor.convert(monitor, "Writing the demo grid", 10 + 10 * subjects);
        Path stimuli = root.resolve("stimuli");
        List<String> ids = DemoStimuli.write(stimuli, images, 1, sub.split(5));
        List<Path> files = ids.stream().map(id -> stimuli.resolve(id + ".png")).toList();
        Path planter = root.resolve("net-planter");
        DemoNetwork.write(planter, 3);
        Path planterStore = root.resolve("planter-features");
        new Extractor().extract(new Extractor.Request(planter, "hf-vit", files, planterStore, 16,
                DevicePreference.CPU, 0, false, Extractor.OnUnreadable.STOP), sub.split(5));
        StringBuilder subjectList = new StringBuilder();
        for (int s = 1; s <= subjects; s++) {
            Path subject = root.resolve("s" + s);
            try (FeatureStore features = FeatureStore.open(planterStore)) {
                DemoSubjectWriter.write(subject, features, ids, DemoBrain.plant(DemoNetwork.LAYERS, s), 2, s, sub
                        .split(10));
            }
            SubjectDescription.nsd(subject, DemoSubjectWriter.SUBJECT, subject.resolve("trials.csv"), stimuli).write(
                    subject.resolve(SubjectDescription.FILE));
            subjectList.append(s > 1 ? ", " : "").append("\"s").append(s).append("/subject.json\"");
        }
        StringBuilder networkList = new StringBuilder();
        for (int n = 0; n < networks; n++) {
            String name = "net-" + (char) ('a' + n);
            DemoNetwork.write(root.resolve(name), 11 + n);
            networkList.append(n > 0 ? ", " : "").append("\"hf-vit:").append(name).append('"');
        }
        StringBuilder seedList = new StringBuilder();
        for (int s = 0; s < seeds; s++) {
            seedList.append(s > 0 ? ", " : "").append(s);
        }
        Path plan = root.resolve("SWEEP.json");
        Files.writeString(plan, """
                {
                  "subjects": [%s],
                  "backbones": [%s],
                  "seeds": [%s],
                  "images": "stimuli",
                  "fit": {"epochs": %d},
                  "extract": {"batch": 16}
                }
                """.formatted(subjectList, networkList, seedList, epochs));
        return plan;
    }
}
