package org.brainalign.sweep.spark;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.brainalign.sweep.SweepTasks;

/** The executor and attempt number of the Spark task running on this thread. */
final class ExecutorRunner {

    private ExecutorRunner() {
    }

    static SweepTasks.Runner current() {
        TaskContext task = TaskContext.get();
        SparkEnv env = SparkEnv.get();
        return new SweepTasks.Runner(env == null ? "unknown" : env.executorId(), task == null
                ? -1
                : task.attemptNumber());
    }
}
