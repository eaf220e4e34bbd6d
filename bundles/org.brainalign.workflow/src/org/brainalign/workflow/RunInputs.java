package org.brainalign.workflow;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.brainalign.io.run.RunFolder;
import org.brainalign.io.run.RunInput;

/** What a fitted run recorded about its inputs, so later commands can find them again without being told. */
public final class RunInputs {

    private RunInputs() {
    }

    /**
     * @param run a run folder
     * @return its feature store folder, from run.json
     */
    public static Optional<Path> store(RunFolder run) {
        Object store = run.info().backbone().get("store");
        return store == null ? Optional.empty() : Optional.of(Path.of(store.toString()));
    }

    /**
     * @param run a run folder
     * @return its subject description file, from run.json
     */
    public static Optional<Path> subject(RunFolder run) {
        return run.info().inputs().stream().filter(i -> i.role().equals("subject")).map(RunInput::path)
                .map(Path::of).findFirst();
    }

    /**
     * @param run a run folder
     * @return the ids of the images it held out for scoring, from run.json
     */
    public static List<String> testImages(RunFolder run) {
        Object ids = run.info().split().get("test_image_ids");
        if (!(ids instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(Object::toString).toList();
    }
}
