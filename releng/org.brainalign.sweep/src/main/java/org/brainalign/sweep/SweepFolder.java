package org.brainalign.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.brainalign.io.AtomicFile;

/**
 * The output folder of a sweep. It belongs to one plan (sweep.json records the plan's hash) and holds
 * <ul>
 * <li>features/BACKBONE: one feature store per backbone;</li>
 * <li>runs/CELL: one ordinary run folder per cell, named by {@link SweepCell#id()};</li>
 * <li>attempts/NAME.jsonl: one line per event of every attempt at a store or a cell (started, published, discarded,
 * failed), with the executor and host that ran it;</li>
 * <li>report/: the comparison across cells, the backbone tables, their charts and the sweep's report.</li>
 * </ul>
 * Every attempt works in a folder of its own whose name starts with ".partial-" and publishes it by one atomic rename;
 * when two attempts of the same task both finish (a killed driver can leave an orphan executor running) the first
 * rename wins and the other attempt's folder is deleted, so a result under its final name is always complete.
 */
public final class SweepFolder {

    /** The file naming the plan this folder belongs to. */
    public static final String SWEEP_JSON = "sweep.json";

    private static final String PARTIAL = ".partial-";

    private final Path root;

    /** @param root the sweep's output folder */
    public SweepFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** @return the output folder */
    public Path root() {
        return root;
    }

    /**
     * @param backbone a backbone's name
     * @return its feature store's final folder
     */
    public Path store(String backbone) {
        return root.resolve("features").resolve(backbone);
    }

    /**
     * @param cell a cell
     * @return its run folder's final place
     */
    public Path run(SweepCell cell) {
        return root.resolve("runs").resolve(cell.id());
    }

    /** @return the folder of the sweep's report and tables */
    public Path reportFolder() {
        return root.resolve("report");
    }

    /**
     * @param finalFolder a store or run folder
     * @return whether it is published (complete: nothing else is ever renamed to a final name)
     */
    public static boolean published(Path finalFolder) {
        return Files.isDirectory(finalFolder);
    }

    /**
     * A fresh folder for one attempt, beside the final one.
     *
     * @param finalFolder the final folder
     * @return the attempt's own folder (not yet created)
     * @throws IOException if the parent cannot be created
     */
    public static Path partial(Path finalFolder) throws IOException {
        Files.createDirectories(finalFolder.getParent());
        return finalFolder.resolveSibling(PARTIAL + finalFolder.getFileName() + "-" + UUID.randomUUID());
    }

    /**
     * Publishes an attempt's folder under its final name by one atomic rename, or, when another attempt published
     * first, deletes it.
     *
     * @param partial the attempt's folder
     * @param finalFolder the final name
     * @return whether this attempt's folder was the one published
     * @throws IOException if the rename fails for another reason
     */
    public static boolean publish(Path partial, Path finalFolder) throws IOException {
        try {
            Files.move(partial, finalFolder, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            deleteTree(partial);
            return false;
        } catch (AtomicMoveNotSupportedException e) {
            throw new SweepException(finalFolder.getParent() + ": the file system cannot rename folders atomically;"
                    + " put the sweep's output on one that can (a local disk, NFS, Lustre or GPFS)", e);
        }
    }

    /**
     * Deletes the folders of attempts that never published (a killed task or driver), so that they are redone.
     *
     * @return the folders deleted
     * @throws IOException if one cannot be deleted
     */
    public List<Path> deletePartials() throws IOException {
        List<Path> deleted = new ArrayList<>();
        for (Path parent : List.of(root.resolve("features"), root.resolve("runs"))) {
            if (!Files.isDirectory(parent)) {
                continue;
            }
            try (Stream<Path> s = Files.list(parent)) {
                for (Path p : s.filter(p -> p.getFileName().toString().startsWith(PARTIAL)).toList()) {
                    deleteTree(p);
                    deleted.add(p);
                }
            }
        }
        return deleted;
    }

    /**
     * Claims the folder for a plan: records the plan on first use, and refuses a folder made for another plan.
     *
     * @param plan the plan
     * @throws SweepException if the folder belongs to another plan, or is a non-empty folder of something else
     * @throws IOException if sweep.json cannot be written
     */
    public void claim(SweepPlan plan) throws IOException {
        checkOwner(plan);
        if (!Files.exists(root.resolve(SWEEP_JSON))) {
            JsonObject o = new JsonObject();
            o.addProperty("format", "brainalign-sweep/1");
            o.addProperty("plan", plan.file().toString());
            o.addProperty("plan_sha256", plan.sha256());
            AtomicFile.write(root.resolve(SWEEP_JSON), out -> out.write((o + "\n").getBytes(StandardCharsets.UTF_8)));
        }
    }

    /**
     * Checks, without writing, that the folder is new, empty, or this plan's.
     *
     * @param plan the plan
     * @throws SweepException naming the folder and the other plan otherwise
     */
    public void checkOwner(SweepPlan plan) throws SweepException {
        Path json = root.resolve(SWEEP_JSON);
        try {
            if (Files.exists(json)) {
                JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
                if (!plan.sha256().equals(o.get("plan_sha256").getAsString())) {
                    throw new SweepException(root + " holds the sweep of another plan (" + o.get("plan").getAsString()
                            + ", or an earlier version of " + plan.file().getFileName()
                            + "); choose another --out folder");
                }
            } else if (Files.isRegularFile(root)) {
                throw new SweepException(root + " is a file; --out needs a folder");
            } else if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.list(root)) {
                    if (s.findAny().isPresent()) {
                        throw new SweepException(root + " is not empty and holds no sweep; choose a new or empty"
                                + " --out folder");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof SweepException se) {
                throw se;
            }
            throw new SweepException(json + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * @param name a store's or cell's name
     * @return the file of its attempts' events
     */
    public Path attempts(String name) {
        return root.resolve("attempts").resolve(name + ".jsonl");
    }

    /**
     * Appends one event of an attempt (one short line, appended in one write).
     *
     * @param name the store's or cell's name
     * @param event the event
     * @throws IOException if it cannot be written
     */
    public void record(String name, AttemptEvent event) throws IOException {
        Path file = attempts(name);
        Files.createDirectories(file.getParent());
        Files.write(file, (event.toJson() + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /**
     * @param name a store's or cell's name
     * @return its attempts' events, oldest first (a line cut short by a kill is left out)
     * @throws IOException if the file cannot be read
     */
    public List<AttemptEvent> events(String name) throws IOException {
        Path file = attempts(name);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<AttemptEvent> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            AttemptEvent.parse(line).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Deletes a folder and everything under it.
     *
     * @param folder the folder (nothing happens when it is missing)
     * @throws IOException if something cannot be deleted
     */
    static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
