package org.brainalign.engine.finetune;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.brainalign.engine.features.DecodedImage;
import org.brainalign.engine.features.ImageReadException;
import org.brainalign.engine.features.Preprocessing;

/**
 * Decodes and prepares the next batch of images on a background thread while the network works on the current one.
 * What a batch holds depends only on its images and their transform, never on timing.
 */
final class BatchLoader implements AutoCloseable {

    /**
     * A batch ready for the network.
     *
     * @param pixels B x channels x size x size normalised values
     * @param labels the B class numbers
     */
    record Batch(float[] pixels, int[] labels) {
    }

    /** Turns one decoded image into network input. */
    @FunctionalInterface
    interface Transform {

        /**
         * @param position the image's position in the list the batch is drawn from
         * @param image the decoded image
         * @return channels x size x size normalised values
         */
        float[] apply(int position, DecodedImage image);
    }

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "brainalign-finetune-images");
        t.setDaemon(true);
        return t;
    });

    /**
     * Starts preparing a batch.
     *
     * @param images the list
     * @param positions the positions in the list of the batch's images, in batch order
     * @param valuesPerImage channels x size x size
     * @param transform how each image becomes input
     * @return the batch, when ready
     */
    Future<Batch> submit(List<ImageFolder.LabelledImage> images, int[] positions, int valuesPerImage,
            Transform transform) {
        return executor.submit(() -> {
            float[] pixels = new float[positions.length * valuesPerImage];
            int[] labels = new int[positions.length];
            for (int k = 0; k < positions.length; k++) {
                ImageFolder.LabelledImage image = images.get(positions[k]);
                float[] one = transform.apply(positions[k], Preprocessing.decode(image.file()));
                System.arraycopy(one, 0, pixels, k * valuesPerImage, valuesPerImage);
                labels[k] = image.label();
            }
            return new Batch(pixels, labels);
        });
    }

    /**
     * Waits for a batch.
     *
     * @param batch the batch being prepared
     * @return it
     * @throws ImageReadException if an image could not be decoded, naming it
     * @throws IOException if preparing failed otherwise
     */
    static Batch await(Future<Batch> batch) throws IOException {
        try {
            return batch.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while preparing images", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException("preparing images failed: " + e.getCause(), e.getCause());
        }
    }

    /** Stops the background thread, abandoning a batch in preparation. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
