package org.brainalign.engine.features;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.backbone.Backbone;
import org.brainalign.engine.backbone.BackboneFamilies;
import org.brainalign.engine.backbone.BackboneFamily;
import org.brainalign.engine.backbone.BackboneOptions;
import org.brainalign.engine.backbone.Checkpoint;
import org.brainalign.engine.backbone.CheckpointException;
import org.brainalign.engine.backbone.PositionInterpolation;
import org.brainalign.io.FolderLock;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.osgi.service.component.annotations.Component;

/**
 * Extraction runs a backbone over an image list and writes its features into a {@link FeatureStore}. It is
 * resumable: each image's completion is recorded after its features reach the disk, so an interrupted run (crash,
 * cancel) continues where it stopped and leaves already-written images untouched. Before resuming it checks that
 * the store was made from the same backbone, checkpoint (SHA-256 of the weight files), preprocessing and image list,
 * and that no already-extracted image changed (SHA-256 of the file), and says so in one sentence otherwise.
 * <p>
 * Images of any size and aspect ratio are all resized to the network's square input (see {@link Preprocessing}).
 * An unreadable image either stops the run (naming it) or is skipped and recorded, as the request says.
 */
@Component(name = "org.brainalign.engine.features.extractor", service = Extractor.class)
public final class Extractor {

    /** The side of the local grid FactorTopy learns on. */
    public static final int GRID = 8;

    /** What to do with an image that cannot be decoded. */
    public enum OnUnreadable {
        /** Record it as skipped (no features) and go on. */
        SKIP,
        /** Stop the run with a message naming it; images done so far stay done. */
        STOP
    }

    /**
     * What to extract.
     *
     * @param checkpoint the checkpoint folder or weights file
     * @param family a family id, or "auto" to detect it from the checkpoint
     * @param images the image files, in store order
     * @param store the store folder (created, or resumed when it exists)
     * @param batchSize images per forward pass
     * @param device where to run
     * @param inputSize the input side, 0 for the family's default
     * @param forceImageNet normalise with ImageNet's mean and std whatever the checkpoint declares
     * @param positions how dinov2 resizes its position embeddings (null for Hugging Face's rule); other families
     *        refuse {@link PositionInterpolation#TORCH_HUB}
     * @param onUnreadable skip or stop at an unreadable image
     */
    public record Request(Path checkpoint, String family, List<Path> images, Path store, int batchSize,
            DevicePreference device, int inputSize, boolean forceImageNet, PositionInterpolation positions,
            OnUnreadable onUnreadable) {

        /**
         * Checks the request.
         *
         * @throws IllegalArgumentException if the batch size is not positive or there are no images
         */
        public Request {
            images = List.copyOf(images);
            if (positions == null) {
                positions = PositionInterpolation.HUGGING_FACE;
            }
            if (batchSize <= 0) {
                throw new IllegalArgumentException("the batch size must be positive, got " + batchSize);
            }
            if (images.isEmpty()) {
                throw new IllegalArgumentException("there are no images to extract");
            }
        }

        /**
         * A request with the defaults: detected family, batch 8, CPU, the family's input size, the checkpoint's
         * normalisation, stop at unreadable images.
         *
         * @param checkpoint the checkpoint
         * @param images the images
         * @param store the store folder
         * @return the request
         */
        public static Request of(Path checkpoint, List<Path> images, Path store) {
            return new Request(checkpoint, "auto", images, store, 8, DevicePreference.CPU, 0, false,
                    OnUnreadable.STOP);
        }

        /**
         * A request with Hugging Face's position rule.
         *
         * @param checkpoint the checkpoint folder or weights file
         * @param family a family id, or "auto"
         * @param images the image files, in store order
         * @param store the store folder
         * @param batchSize images per forward pass
         * @param device where to run
         * @param inputSize the input side, 0 for the family's default
         * @param forceImageNet normalise with ImageNet's mean and std whatever the checkpoint declares
         * @param onUnreadable skip or stop at an unreadable image
         */
        public Request(Path checkpoint, String family, List<Path> images, Path store, int batchSize,
                DevicePreference device, int inputSize, boolean forceImageNet, OnUnreadable onUnreadable) {
            this(checkpoint, family, images, store, batchSize, device, inputSize, forceImageNet,
                    PositionInterpolation.HUGGING_FACE, onUnreadable);
        }
    }

    /**
     * What a run did.
     *
     * @param store the store folder
     * @param images images in the store
     * @param extracted images extracted by this run
     * @param previouslyDone images found already extracted
     * @param skipped images skipped as unreadable
     * @param seconds wall time of this run's extraction loop (decoding, network, writing)
     */
    public record Result(Path store, int images, int extracted, int previouslyDone, int skipped, double seconds) {

        /** @return images extracted per second in this run (0 when none were) */
        public double imagesPerSecond() {
            return extracted == 0 || seconds <= 0 ? 0 : extracted / seconds;
        }
    }

    /** One decoded batch: image indices and their pixels; failures hold the reasons of unreadable images. */
    private record Batch(int[] indices, float[] pixels, List<Integer> failed, List<String> reasons) {
    }

    /**
     * Extracts (or finishes extracting) the features of an image list into a store.
     *
     * @param request what to extract
     * @param monitor progress in images; cancelling stops after the current batch, keeping what is written
     * @return what the run did
     * @throws CheckpointException if the checkpoint cannot be loaded, naming it
     * @throws FeatureStoreException if the store was made from something else, or an extracted image changed
     * @throws ImageReadException if an image is unreadable and the request says stop
     * @throws OperationCanceledException if cancelled
     * @throws IOException if files cannot be read or written
     */
    public Result extract(Request request, IProgressMonitor monitor) throws IOException {
        int n = request.images().size();
        SubMonitor progress = SubMonitor.convert(monitor, "Extracting features", n + 2 * Math.max(1, n / 20));
        checkStoreFolder(request.store());
        List<String> names = names(request.images());
        progress.subTask("Hashing " + n + " images");
        List<String> hashes = hashImages(request, progress.split(Math.max(1, n / 20)));
        progress.subTask("Loading " + request.checkpoint());
        Backbone backbone;
        String checkpointHash;
        try (Checkpoint checkpoint = Checkpoint.open(request.checkpoint())) {
            BackboneFamily family = request.family() == null || request.family().equals("auto")
                    ? BackboneFamilies.detect(checkpoint).orElseThrow(() -> new CheckpointException(
                            request.checkpoint() + ": no backbone family recognises this checkpoint; name one"))
                    : BackboneFamilies.get(request.family());
            checkpointHash = checkpoint.contentHash();
            backbone = family.load(checkpoint, new BackboneOptions(request.inputSize(), request.device(),
                    request.positions()));
        }
        progress.worked(Math.max(1, n / 20));
        try (backbone) {
            Preprocessing prep = Preprocessing.of(backbone, request.forceImageNet());
            List<String> paths = request.images().stream().map(Path::toString).toList();
            StoreManifest wanted = new StoreManifest(backbone.familyId(), request.checkpoint().toString(),
                    checkpointHash, prep.inputSize(), prep.normalization().mean(), prep.normalization().std(),
                    prep.normalization().source(), request.positions().id(), backbone.layers(), backbone.channels(),
                    GRID,
                    backbone.hasClassToken(), names, paths, hashes, Map.of(), 0);
            try (FolderLock lock = FolderLock.acquire(request.store())) {
                return run(request, backbone, prep, prepareStore(request.store(), wanted), progress.split(n));
            }
        }
    }

    /**
     * Refuses a folder that is neither new, empty nor a store (or the files of a store whose creation was
     * interrupted), so that extract never writes its files among someone else's, such as a run's.
     */
    private static void checkStoreFolder(Path store) throws IOException {
        if (Files.exists(store) && !Files.isDirectory(store)) {
            throw new FeatureStoreException("Store folder " + store + " is a file; give a new or empty folder");
        }
        if (!Files.isDirectory(store) || Files.isRegularFile(store.resolve(FeatureStore.MANIFEST))) {
            return;
        }
        Set<String> storeFiles = Set.of(FeatureStore.DATA, FeatureStore.COMPLETION, FolderLock.FILE);
        try (Stream<Path> entries = Files.list(store)) {
            Optional<Path> foreign = entries.filter(p -> !storeFiles.contains(p.getFileName().toString())
                    && !p.getFileName().toString().startsWith("." + FeatureStore.MANIFEST + ".part-")).findFirst();
            if (foreign.isPresent()) {
                throw new FeatureStoreException("Store folder " + store + " is not empty and holds no feature store ("
                        + foreign.get().getFileName() + " is there); give a new or empty folder");
            }
        }
    }

    /** Creates the store, or checks that the existing one is the same extraction; returns its manifest. */
    private static StoreManifest prepareStore(Path store, StoreManifest wanted) throws IOException {
        Path manifestFile = store.resolve(FeatureStore.MANIFEST);
        if (Files.isRegularFile(manifestFile)) {
            StoreManifest existing = StoreManifest.read(manifestFile);
            String difference = existing.differenceOfSource(wanted);
            if (difference != null) {
                throw new FeatureStoreException(store + ": " + difference + "; extract into another store folder or "
                        + "delete this one");
            }
            byte[] completion = FeatureStore.readCompletion(store, existing.imageCount());
            long size = existing.imageCount() * existing.valuesPerImage() * 2;
            Path data = store.resolve(FeatureStore.DATA);
            if (!Files.isRegularFile(data) || Files.size(data) != size) {
                throw new FeatureStoreException(data + ": missing or not " + size + " bytes long; the store is "
                        + "damaged, delete it and extract again");
            }
            for (int i = 0; i < completion.length; i++) {
                if (completion[i] == FeatureStore.DONE && !existing.hashes().get(i).equals(wanted.hashes().get(i))) {
                    throw new FeatureStoreException(store + ": image " + wanted.names().get(i) + " changed since its "
                            + "features were extracted (its SHA-256 differs); extract into another store folder or "
                            + "delete this one");
                }
            }
            // hashes of images still to do are taken as they are now
            return existing.withOutcome(wanted.hashes(), existing.skipped(), existing.saturated());
        }
        Files.createDirectories(store);
        long size = wanted.imageCount() * wanted.valuesPerImage() * 2;
        try (RandomAccessFile data = new RandomAccessFile(store.resolve(FeatureStore.DATA).toFile(), "rw")) {
            data.setLength(0);
            data.setLength(size);
        }
        Files.write(store.resolve(FeatureStore.COMPLETION), new byte[wanted.imageCount()]);
        // the manifest comes last: a folder without it is a store whose creation never finished
        wanted.write(manifestFile);
        return wanted;
    }

    private Result run(Request request, Backbone backbone, Preprocessing prep, StoreManifest manifest,
            SubMonitor progress) throws IOException {
        Path store = request.store();
        int n = manifest.imageCount();
        byte[] completion = FeatureStore.readCompletion(store, n);
        List<Integer> pending = new ArrayList<>();
        int previouslyDone = 0;
        for (int i = 0; i < n; i++) {
            if (completion[i] == FeatureStore.DONE) {
                previouslyDone++;
            } else {
                // images skipped by an earlier run are tried again: they may have been fixed
                pending.add(i);
            }
        }
        progress.setWorkRemaining(pending.size());
        Map<String, String> skipped = new LinkedHashMap<>(manifest.skipped());
        long saturated = manifest.saturated();
        int extracted = 0;
        int skippedNow = 0;
        long started = System.nanoTime();
        ExecutorService decoder = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "brainalign-image-decoder");
            t.setDaemon(true);
            return t;
        });
        try (FileChannel data = FileChannel.open(store.resolve(FeatureStore.DATA), StandardOpenOption.WRITE);
                FileChannel done = FileChannel.open(store.resolve(FeatureStore.COMPLETION),
                        StandardOpenOption.WRITE)) {
            int batch = request.batchSize();
            Future<Batch> next = decoder.submit(() -> decode(pending, 0, batch, request.images(), prep));
            for (int from = 0; from < pending.size(); from += batch) {
                if (progress.isCanceled()) {
                    throw new OperationCanceledException();
                }
                Batch current = await(next);
                if (from + batch < pending.size()) {
                    int nextFrom = from + batch;
                    next = decoder.submit(() -> decode(pending, nextFrom, batch, request.images(), prep));
                }
                if (!current.failed().isEmpty()) {
                    if (request.onUnreadable() == OnUnreadable.STOP) {
                        throw new ImageReadException(current.reasons().get(0));
                    }
                    for (int k = 0; k < current.failed().size(); k++) {
                        int index = current.failed().get(k);
                        skipped.put(manifest.names().get(index), current.reasons().get(k));
                        writeCompletion(done, index, FeatureStore.SKIPPED);
                        skippedNow++;
                    }
                }
                int b = current.indices().length;
                if (b > 0) {
                    float[] features = backbone.features(current.pixels(), b, GRID);
                    int per = (int) manifest.valuesPerImage();
                    ByteBuffer halves = ByteBuffer.allocate(per * 2).order(ByteOrder.LITTLE_ENDIAN);
                    for (int k = 0; k < b; k++) {
                        int nan = countNaN(features, k * per, per);
                        if (nan > 0) {
                            // no float16 stands for a number that is not one: store nothing, say where it came from
                            throw new FeatureStoreException("Backbone " + request.checkpoint() + " computed " + nan
                                    + " NaN features for image " + request.images().get(current.indices()[k])
                                    + " (its weights hold NaN or overflow); no features of it were stored");
                        }
                        halves.clear();
                        saturated += toHalves(features, k * per, per, halves.asShortBuffer());
                        long offset = current.indices()[k] * (long) per * 2;
                        while (halves.hasRemaining()) {
                            offset += data.write(halves, offset);
                        }
                    }
                    data.force(false);
                    // features reach the disk before their completion is recorded: a crash never marks garbage done
                    for (int index : current.indices()) {
                        writeCompletion(done, index, FeatureStore.DONE);
                        skipped.remove(manifest.names().get(index));
                    }
                }
                done.force(false);
                extracted += b;
                progress.worked(b + current.failed().size());
                double seconds = (System.nanoTime() - started) / 1e9;
                progress.subTask(String.format(Locale.ROOT, "%d of %d images, %.2f images/s",
                        previouslyDone + extracted + skippedNow, n, extracted / Math.max(seconds, 1e-9)));
            }
        } finally {
            decoder.shutdownNow();
            manifest.withOutcome(manifest.hashes(), Map.copyOf(skipped), saturated)
                    .write(store.resolve(FeatureStore.MANIFEST));
        }
        return new Result(store, n, extracted, previouslyDone, skippedNow, (System.nanoTime() - started) / 1e9);
    }

    private static void writeCompletion(FileChannel done, int index, byte value) throws IOException {
        ByteBuffer one = ByteBuffer.wrap(new byte[] { value });
        while (one.hasRemaining()) {
            done.write(one, index);
        }
    }

    private static Batch await(Future<Batch> next) throws IOException {
        try {
            return next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCanceledException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(e.getCause());
        }
    }

    private static Batch decode(List<Integer> pending, int from, int size, List<Path> images, Preprocessing prep) {
        int to = Math.min(pending.size(), from + size);
        List<Integer> ok = new ArrayList<>();
        List<float[]> pixels = new ArrayList<>();
        List<Integer> failed = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (int k = from; k < to; k++) {
            int index = pending.get(k);
            try {
                pixels.add(prep.apply(images.get(index)));
                ok.add(index);
            } catch (ImageReadException e) {
                failed.add(index);
                reasons.add(e.getMessage());
            }
        }
        int per = prep.valuesPerImage();
        float[] all = new float[ok.size() * per];
        for (int k = 0; k < ok.size(); k++) {
            System.arraycopy(pixels.get(k), 0, all, k * per, per);
        }
        return new Batch(ok.stream().mapToInt(Integer::intValue).toArray(), all, failed, reasons);
    }

    /** Converts floats to halves, clamping to float16's finite range; returns how many were clamped. */
    private static int countNaN(float[] values, int from, int count) {
        int nan = 0;
        for (int i = from; i < from + count; i++) {
            nan += Float.isNaN(values[i]) ? 1 : 0;
        }
        return nan;
    }

    static long toHalves(float[] values, int from, int count, ShortBuffer out) {
        long clamped = 0;
        for (int i = from; i < from + count; i++) {
            float v = values[i];
            if (Math.abs(v) > 65504f) {
                v = Math.copySign(65504f, v);
                clamped++;
            }
            out.put(Float.floatToFloat16(v));
        }
        return clamped;
    }

    private static List<String> hashImages(Request request, SubMonitor monitor) throws IOException {
        List<Path> images = request.images();
        SubMonitor progress = SubMonitor.convert(monitor, images.size());
        List<String> hashes = new ArrayList<>();
        byte[] buffer = new byte[1 << 16];
        for (Path image : images) {
            if (progress.isCanceled()) {
                throw new OperationCanceledException();
            }
            try (InputStream in = Files.newInputStream(image)) {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                for (int r; (r = in.read(buffer)) > 0;) {
                    digest.update(buffer, 0, r);
                }
                hashes.add(HexFormat.of().formatHex(digest.digest()));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            } catch (IOException e) {
                if (request.onUnreadable() == OnUnreadable.STOP) {
                    throw new ImageReadException(image + ": cannot be read (" + e.getMessage() + ")", e);
                }
                // decoding will fail too and record the image as skipped
                hashes.add("");
            }
            progress.worked(1);
        }
        return hashes;
    }

    /**
     * Names images by file name, or by path relative to their common folder when file names repeat.
     *
     * @param images the image paths
     * @return one unique name per image
     */
    static List<String> names(List<Path> images) {
        List<String> names = images.stream().map(p -> p.getFileName().toString()).toList();
        if (new HashSet<>(names).size() == names.size()) {
            return names;
        }
        Path common = images.get(0).toAbsolutePath().normalize().getParent();
        for (Path p : images) {
            Path abs = p.toAbsolutePath().normalize();
            while (common != null && !abs.startsWith(common)) {
                common = common.getParent();
            }
        }
        Path root = common;
        return images.stream().map(p -> root == null
                ? p.toString()
                : root.relativize(p.toAbsolutePath().normalize()).toString()).toList();
    }
}
