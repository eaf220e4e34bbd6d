package org.brainalign.engine.backbone;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The registry of backbone families, found by id. The built-in families (hf-vit, clip, dinov2, sam) are always
 * present, so the registry works outside OSGi (plain tests, a Spark job); inside OSGi, this class is also a
 * Declarative Services component that receives every other {@link BackboneFamily} service, so a bundle adds a
 * network family by registering one.
 */
@Component(name = "org.brainalign.engine.backbone.families", immediate = true, service = {})
public final class BackboneFamilies {

    private static final List<BackboneFamily> BUILT_IN = List.of(new HfVitFamily(), new ClipFamily(),
            new Dinov2Family(), new SamFamily(), new TorchvisionVitFamily(), new TimmVitFamily(),
            new OpenClipFamily(), new HubDinov2Family(), new SegmentAnythingFamily());

    private static final Map<String, BackboneFamily> ADDED = new ConcurrentHashMap<>();

    /** Other names users know the built-in families by: MAE's encoder is a ViTMAEModel, loaded as hf-vit. */
    private static final Map<String, String> ALIASES = Map.of("mae", HfVitFamily.ID, "vit", HfVitFamily.ID);

    /** Created by Declarative Services; the registry itself is static. */
    public BackboneFamilies() {
    }

    /**
     * Declarative Services bind method: makes a family service available by its id. A service reusing a built-in id
     * (the built-in families are registered as services too) leaves the built-in in place.
     *
     * @param family the service
     */
    @Reference(name = "families", cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, unbind = "removeFamily")
    public void addFamily(BackboneFamily family) {
        if (builtIn(family.id()).isEmpty()) {
            ADDED.put(family.id(), family);
        }
    }

    /**
     * Declarative Services unbind method.
     *
     * @param family the service going away
     */
    public void removeFamily(BackboneFamily family) {
        ADDED.remove(family.id(), family);
    }

    /** @return every known family, built-in ones first */
    public static List<BackboneFamily> all() {
        List<BackboneFamily> all = new ArrayList<>(BUILT_IN);
        ADDED.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).forEach(all::add);
        return all;
    }

    /**
     * @param id a family id
     * @return the family
     * @throws IllegalArgumentException naming the known ids when there is none of that id
     */
    public static BackboneFamily get(String id) {
        Optional<BackboneFamily> found = builtIn(ALIASES.getOrDefault(id, id));
        if (found.isPresent()) {
            return found.get();
        }
        BackboneFamily added = ADDED.get(id);
        if (added == null) {
            throw new IllegalArgumentException("unknown backbone family '" + id + "': known are "
                    + String.join(", ", all().stream().map(BackboneFamily::id).toList()));
        }
        return added;
    }

    /**
     * @param checkpoint an open checkpoint
     * @return the first family that recognises it, if any
     */
    public static Optional<BackboneFamily> detect(Checkpoint checkpoint) {
        return all().stream().filter(f -> f.recognises(checkpoint)).findFirst();
    }

    /**
     * Opens a checkpoint and loads it with a family, or with the family that recognises it.
     *
     * @param checkpoint the checkpoint folder or weights file
     * @param familyId a family id, or null / "auto" to detect it
     * @param options input size and device
     * @return the network; close it when done
     * @throws CheckpointException if no family recognises the checkpoint, or loading fails, naming the file
     * @throws IOException if the files cannot be read
     */
    public static Backbone load(Path checkpoint, String familyId, BackboneOptions options) throws IOException {
        try (Checkpoint c = Checkpoint.open(checkpoint)) {
            BackboneFamily family = familyId == null || familyId.equals("auto")
                    ? detect(c).orElseThrow(
                            () -> new CheckpointException(
                                    checkpoint + ": no backbone family recognises this checkpoint "
                                            + "(model_type " + c.config().string("model_type") + "); name one of "
                                            + String.join(", ", all().stream().map(BackboneFamily::id).toList())))
                    : get(familyId);
            return family.load(c, options);
        }
    }

    private static Optional<BackboneFamily> builtIn(String id) {
        return BUILT_IN.stream().filter(f -> f.id().equals(id)).findFirst();
    }
}
