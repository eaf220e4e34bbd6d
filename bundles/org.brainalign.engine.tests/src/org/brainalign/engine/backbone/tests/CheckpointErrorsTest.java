package org.brainalign.engine.backbone.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.engine.backbone.Backbone;
import org.brainalign.engine.backbone.BackboneFamilies;
import org.brainalign.engine.backbone.BackboneOptions;
import org.brainalign.engine.backbone.Checkpoint;
import org.brainalign.engine.backbone.CheckpointException;
import org.brainalign.engine.backbone.HfVitFamily;
import org.brainalign.io.safetensors.FloatTensor;
import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.io.safetensors.SafetensorsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints that must not load, and the one sentence each must produce; and the family registry. */
class CheckpointErrorsTest {

    private static final RandomCheckpoint.Arch ARCH = new RandomCheckpoint.Arch(16, 2, 2, 24, 4, 16, 3);

    @TempDir
    Path dir;

    private Path vit() throws IOException {
        RandomCheckpoint r = new RandomCheckpoint(ARCH, 1, 0, 0);
        return r.writeHfVit(dir.resolve("vit"), "vit.", r.baseConfig("vit"));
    }

    /** Rewrites model.safetensors with one tensor renamed (to null: dropped). */
    private static void rename(Path folder, String from, String to) throws IOException {
        LinkedHashMap<String, FloatTensor> tensors = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(folder.resolve("model.safetensors"))) {
            for (String n : f.names()) {
                String name = n.equals(from) ? to : n;
                if (name != null) {
                    tensors.put(name, new FloatTensor(f.info(n).shape(), f.readFloats(n)));
                }
            }
        }
        SafetensorsWriter.write(folder.resolve("model.safetensors"), tensors, Map.of());
    }

    private static CheckpointException refused(Path folder, String family) {
        return assertThrows(CheckpointException.class,
                () -> BackboneFamilies.load(folder, family, BackboneOptions.defaults()).close());
    }

    @Test
    void missingTensorIsNamedWithItsFile() throws IOException {
        Path folder = vit();
        String gone = "vit.encoder.layer.1.attention.attention.key.weight";
        rename(folder, gone, null);
        String m = refused(folder, "hf-vit").getMessage();
        assertTrue(m.contains("'" + gone + "'") && m.contains(folder.resolve("model.safetensors").toString()), m);
    }

    @Test
    void misnamedTensorIsNamed() throws IOException {
        Path folder = vit();
        rename(folder, "vit.encoder.layer.0.attention.attention.query.weight",
                "vit.encoder.layer.0.attention.attention.qeury.weight");
        String m = refused(folder, "hf-vit").getMessage();
        assertTrue(m.contains("'vit.encoder.layer.0.attention.attention.query.weight' is missing"), m);
    }

    @Test
    void shapeDisagreeingWithConfigIsNamed() throws IOException {
        RandomCheckpoint r = new RandomCheckpoint(ARCH, 1, 0, 0);
        Map<String, Object> config = r.baseConfig("vit");
        config.put("intermediate_size", 32);
        Path folder = r.writeHfVit(dir.resolve("vit"), "", config);
        String m = refused(folder, "hf-vit").getMessage();
        assertTrue(m.contains("'encoder.layer.0.intermediate.dense.weight' has shape [24, 16] but config.json "
                + "implies [32, 16]"), m);
    }

    @Test
    void hostileCountsAndTypesInConfigAreSaidBeforeAnythingIsAllocated() throws IOException {
        // each once killed the JVM or escaped as a NullPointerException (found by releng/fuzz/run, seed 3)
        Object[][] hostile = { { "num_hidden_layers", Integer.MAX_VALUE, "2147483647 blocks" },
                { "num_channels", Integer.MAX_VALUE, "2147483647 input channels" },
                { "hidden_act", List.of(16), "hidden_act is not a text" } };
        for (Object[] h : hostile) {
            RandomCheckpoint r = new RandomCheckpoint(ARCH, 1, 0, 0);
            Map<String, Object> config = r.baseConfig("vit");
            config.put((String) h[0], h[1]);
            Path folder = r.writeHfVit(dir.resolve("vit-" + h[0]), "", config);
            String m = refused(folder, "hf-vit").getMessage();
            assertTrue(m.startsWith(folder.resolve("config.json") + ": ") && m.contains((String) h[2]), m);
        }
    }

    @Test
    void checkpointOfAnotherFamilyIsRefused() throws IOException {
        RandomCheckpoint r = new RandomCheckpoint(ARCH, 1, 0, 0);
        Path folder = r.writeHfVit(dir.resolve("vit"), "", r.baseConfig("clip"));
        String m = refused(folder, "hf-vit").getMessage();
        assertTrue(m.contains("config.json") && m.contains("model_type 'clip'") && m.contains("hf-vit"), m);
    }

    @Test
    void unrecognisedCheckpointNamesTheKnownFamilies() throws IOException {
        RandomCheckpoint r = new RandomCheckpoint(ARCH, 1, 0, 0);
        Path folder = r.writeHfVit(dir.resolve("vit"), "", r.baseConfig("resnet"));
        String m = refused(folder, "auto").getMessage();
        assertTrue(m.contains("no backbone family recognises") && m.contains("hf-vit"), m);
    }

    @Test
    void missingConfigIsNamed() throws IOException {
        Path folder = vit();
        Files.delete(folder.resolve("config.json"));
        String m = refused(folder, "hf-vit").getMessage();
        assertTrue(m.contains(folder.resolve("config.json").toString()) && m.contains("missing"), m);
    }

    @Test
    void inputSizeNotAWholeNumberOfPatchesIsRefused() throws IOException {
        Path folder = vit();
        var e = assertThrows(CheckpointException.class,
                () -> BackboneFamilies.load(folder, "hf-vit", new BackboneOptions(18, null)).close());
        assertTrue(e.getMessage().contains("18 px") && e.getMessage().contains("config.json"), e.getMessage());
    }

    @Test
    void registryFindsFamiliesByIdAndByCheckpoint() throws IOException {
        assertEquals(HfVitFamily.ID, BackboneFamilies.get("hf-vit").id());
        assertEquals(HfVitFamily.ID, BackboneFamilies.get("mae").id());
        assertEquals(List.of("hf-vit", "clip", "dinov2", "sam", "torchvision-vit", "timm-vit",
                "openclip-vit", "hub-dinov2", "sam-encoder"),
                BackboneFamilies.all().stream().map(f -> f.id()).toList());
        var e = assertThrows(IllegalArgumentException.class, () -> BackboneFamilies.get("resnet-50"));
        assertTrue(e.getMessage().contains("resnet-50") && e.getMessage().contains("hf-vit"), e.getMessage());
        Path folder = vit();
        try (Checkpoint c = Checkpoint.open(folder)) {
            assertEquals("hf-vit", BackboneFamilies.detect(c).orElseThrow().id());
        }
        // detection by tensor names alone when config.json declares no model_type
        Map<String, Object> config = new RandomCheckpoint(ARCH, 1, 0, 0).baseConfig("vit");
        config.remove("model_type");
        config.put("intermediate_size", ARCH.mlp());
        Files.writeString(folder.resolve("config.json"), new com.google.gson.Gson().toJson(config));
        try (Backbone b = BackboneFamilies.load(folder, "auto", BackboneOptions.defaults())) {
            assertEquals("hf-vit", b.familyId());
            assertEquals(2, b.layers());
            assertEquals(4, b.gridSide());
        }
    }
}
