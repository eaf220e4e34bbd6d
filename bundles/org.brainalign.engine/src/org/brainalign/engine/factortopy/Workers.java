package org.brainalign.engine.factortopy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * A fixed pool of worker threads that runs numbered tasks and waits for all of them. Determinism is the caller's
 * part: each task writes only its own outputs (its voxels, its layer, its partial sums), and partial sums are added
 * afterwards in task order, so the numbers never depend on which thread ran what or when.
 */
public final class Workers implements AutoCloseable {

    private final int threads;
    private final ExecutorService pool;

    /**
     * @param threads how many threads, at least 1; with 1, tasks run on the caller's thread
     */
    public Workers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("at least one thread is needed, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "factortopy-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** @return the number of threads */
    public int threads() {
        return threads;
    }

    /**
     * Runs tasks 0 .. count - 1 and returns when all are done.
     *
     * @param count how many tasks
     * @param task the work of one task, given its number
     */
    public void run(int count, IntConsumer task) {
        if (pool == null || count == 1) {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(pool.submit(() -> task.accept(index)));
        }
        Throwable failure = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                failure = failure != null ? failure : e.getCause();
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
