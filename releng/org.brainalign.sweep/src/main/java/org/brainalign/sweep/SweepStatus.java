package org.brainalign.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a sweep stands: for every store and cell, whether it is done, running (an attempt started and has not ended;
 * after a killed driver, also an attempt that will never end), failed (its last attempt failed) or waiting, with the
 * attempts made and the executor of the published attempt.
 */
public final class SweepStatus {

    /** States of a store or a cell. */
    public enum State {
        /** Published. */
        DONE,
        /** An attempt started and has not ended. */
        RUNNING,
        /** The last attempt failed. */
        FAILED,
        /** No attempt yet. */
        WAITING
    }

    /**
     * One store or cell.
     *
     * @param name its name (features-BACKBONE or the cell's id)
     * @param state its state
     * @param attempts attempts started
     * @param executor the executor of the published attempt, or of the last one
     * @param message the last failure's message, or empty
     */
    public record Entry(String name, State state, int attempts, String executor, String message) {
    }

    /**
     * @param stores one entry per backbone's store
     * @param cells one entry per cell
     */
    public record Report(List<Entry> stores, List<Entry> cells) {

        /**
         * @param state a state
         * @return how many cells are in it
         */
        public long cells(State state) {
            return cells.stream().filter(c -> c.state() == state).count();
        }
    }

    private SweepStatus() {
    }

    /**
     * @param plan the plan
     * @param folder its folder
     * @return every store's and cell's state
     * @throws IOException if the attempt records cannot be read
     */
    public static Report of(SweepPlan plan, SweepFolder folder) throws IOException {
        List<Entry> stores = new ArrayList<>();
        for (SweepPlan.Backbone b : plan.backbones()) {
            stores.add(entry(folder, "features-" + b.name(), SweepFolder.published(folder.store(b.name()))));
        }
        List<Entry> cells = new ArrayList<>();
        for (SweepCell c : plan.cells()) {
            cells.add(entry(folder, c.id(), SweepFolder.published(folder.run(c))));
        }
        return new Report(stores, cells);
    }

    private static Entry entry(SweepFolder folder, String name, boolean published) throws IOException {
        List<AttemptEvent> events = folder.events(name);
        int attempts = (int) events.stream().filter(e -> e.event().equals(AttemptEvent.STARTED)).count();
        AttemptEvent last = events.isEmpty() ? null : events.get(events.size() - 1);
        if (published) {
            String executor = events.stream().filter(e -> e.event().equals(AttemptEvent.PUBLISHED))
                    .map(e -> e.executor() + "@" + e.host()).findFirst().orElse("");
            return new Entry(name, State.DONE, attempts, executor, "");
        }
        if (last == null) {
            return new Entry(name, State.WAITING, 0, "", "");
        }
        State state = last.event().equals(AttemptEvent.FAILED) ? State.FAILED : State.RUNNING;
        return new Entry(name, state, attempts, last.executor() + "@" + last.host(),
                state == State.FAILED ? last.message() : "");
    }

    /**
     * Prints a report: one line per store and cell, then the totals.
     *
     * @param out where
     * @param report the report
     */
    public static void print(PrintStream out, Report report) {
        out.printf(Locale.ROOT, "%-40s %-8s %8s  %s%n", "store / cell", "state", "attempts", "executor");
        for (Entry e : concat(report.stores(), report.cells())) {
            out.printf(Locale.ROOT, "%-40s %-8s %8d  %s%s%n", e.name(), e.state().name().toLowerCase(Locale.ROOT),
                    e.attempts(), e.executor(), e.message().isEmpty() ? "" : "  (" + e.message() + ")");
        }
        out.printf(Locale.ROOT, "cells: %d done, %d running, %d failed, %d waiting, of %d%n",
                report.cells(State.DONE), report.cells(State.RUNNING), report.cells(State.FAILED),
                report.cells(State.WAITING), report.cells().size());
    }

    private static List<Entry> concat(List<Entry> a, List<Entry> b) {
        List<Entry> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
