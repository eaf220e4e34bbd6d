package org.brainalign.engine.features;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.engine.factortopy.FeatureSource;
import org.brainalign.io.DataFormatException;

/**
 * A subject's images as a feature source: row i of the subject's responses reads the features the store holds for
 * the subject's image i, matched by file name, whatever order the store was extracted in.
 */
public final class StoreFeatures implements FeatureSource {

    private final FeatureStore store;
    private final int[] storeIndex;

    private StoreFeatures(FeatureStore store, int[] storeIndex) {
        this.store = store;
        this.storeIndex = storeIndex;
    }

    /**
     * Matches a subject's images to a store.
     *
     * @param store the feature store
     * @param images the subject's image files, in response-row order
     * @return the feature source, one image per response row
     * @throws DataFormatException naming the store if it lacks features of some image (or skipped it as unreadable)
     */
    public static StoreFeatures match(FeatureStore store, List<Path> images) throws DataFormatException {
        Map<String, Integer> byName = new HashMap<>();
        List<String> names = store.imageNames();
        for (int i = 0; i < names.size(); i++) {
            byName.put(Path.of(names.get(i)).getFileName().toString(), i);
        }
        int[] index = new int[images.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            String name = images.get(i).getFileName().toString();
            Integer at = byName.get(name);
            if (at == null || store.isSkipped(at)) {
                missing.add(name);
            } else {
                index[i] = at;
            }
        }
        if (!missing.isEmpty()) {
            throw DataFormatException.of(store.folder(), "has no features for " + missing.size() + " of the subject's "
                    + images.size() + " images (first: " + missing.get(0) + "); extract them into it first");
        }
        return new StoreFeatures(store, index);
    }

    /** @return the store */
    public FeatureStore store() {
        return store;
    }

    @Override
    public int imageCount() {
        return storeIndex.length;
    }

    @Override
    public int layers() {
        return store.layers();
    }

    @Override
    public int channels() {
        return store.channels();
    }

    @Override
    public int grid() {
        return store.grid();
    }

    @Override
    public void read(int[] images, float[] local, float[] global) throws IOException {
        int[] mapped = new int[images.length];
        for (int i = 0; i < images.length; i++) {
            mapped[i] = storeIndex[images[i]];
        }
        store.read(mapped, local, global);
    }

    @Override
    public String description() {
        return "the features in " + store.folder();
    }
}
