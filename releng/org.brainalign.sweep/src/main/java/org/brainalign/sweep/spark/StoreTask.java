package org.brainalign.sweep.spark;

import java.nio.file.Path;

import org.apache.spark.api.java.function.VoidFunction;
import org.brainalign.sweep.SweepFolder;
import org.brainalign.sweep.SweepPlan;
import org.brainalign.sweep.SweepTasks;

/** A Spark task of the first stage: extracts one backbone's feature store. Holds only strings, so it serialises. */
final class StoreTask implements VoidFunction<String> {

    private static final long serialVersionUID = 1L;

    private final String planFile;
    private final String out;

    StoreTask(String planFile, String out) {
        this.planFile = planFile;
        this.out = out;
    }

    @Override
    public void call(String backbone) throws Exception {
        SweepPlan plan = SweepPlan.read(Path.of(planFile));
        SweepFolder folder = new SweepFolder(Path.of(out));
        folder.checkOwner(plan);
        SweepTasks.extract(plan, folder, backbone, ExecutorRunner.current(), null);
    }
}
