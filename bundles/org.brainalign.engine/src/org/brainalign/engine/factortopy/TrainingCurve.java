package org.brainalign.engine.factortopy;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.brainalign.io.AtomicFile;

/**
 * The training curve of a fit: one row per finished epoch with the step count, the mean training loss (total and
 * data term), the validation loss (smooth L1 over the validation images), the regulariser weight at the epoch's end,
 * and the epoch's wall time and throughput. It is kept in every checkpoint, so a resumed run writes the same curve.
 */
public final class TrainingCurve {

    /** The CSV header. */
    public static final String HEADER = "epoch,step,train_loss,train_data_loss,val_loss,reg_weight,seconds,images_per_second";

    /**
     * One epoch's row.
     *
     * @param epoch 1-based epoch number
     * @param step steps taken by the end of the epoch
     * @param trainLoss mean total loss of its steps
     * @param trainDataLoss mean data term of its steps
     * @param validationLoss smooth L1 over the validation images
     * @param regWeight the regulariser's weight at its last step
     * @param seconds wall time of the epoch
     * @param imagesPerSecond training images per second
     */
    public record Epoch(int epoch, long step, double trainLoss, double trainDataLoss, double validationLoss,
            double regWeight, double seconds, double imagesPerSecond) {
    }

    private final List<Epoch> rows = new ArrayList<>();

    /** @return the rows, oldest first (a copy) */
    public List<Epoch> rows() {
        return List.copyOf(rows);
    }

    /**
     * @param row an epoch's row
     */
    void add(Epoch row) {
        rows.add(row);
    }

    /** @return the curve as CSV text, header included */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Epoch e : rows) {
            sb.append(e.epoch()).append(',').append(e.step()).append(',').append(e.trainLoss()).append(',')
                    .append(e.trainDataLoss()).append(',').append(e.validationLoss()).append(',')
                    .append(e.regWeight()).append(',').append(String.format(Locale.ROOT, "%.3f", e.seconds()))
                    .append(',').append(String.format(Locale.ROOT, "%.2f", e.imagesPerSecond())).append('\n');
        }
        return sb.toString();
    }

    /**
     * @param csv text written by {@link #toCsv()}
     * @return the curve
     * @throws IllegalArgumentException if the text is not such a curve
     */
    static TrainingCurve parse(String csv) {
        TrainingCurve c = new TrainingCurve();
        String[] lines = csv.split("\n");
        if (lines.length == 0 || !lines[0].equals(HEADER)) {
            throw new IllegalArgumentException("not a training curve");
        }
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].split(",");
            c.add(new Epoch(Integer.parseInt(f[0]), Long.parseLong(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5]),
                    Double.parseDouble(f[6]), Double.parseDouble(f[7])));
        }
        return c;
    }

    /**
     * Writes the curve as CSV, atomically.
     *
     * @param file the file
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        AtomicFile.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(toCsv());
            w.flush();
        });
    }
}
