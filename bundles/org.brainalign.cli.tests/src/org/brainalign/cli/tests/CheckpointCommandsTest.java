package org.brainalign.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.brainalign.testing.SharedData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** inspect and convert on the PyTorch fixtures, against the tensor lists PyTorch printed. */
class CheckpointCommandsTest extends CommandHarness {

    private static final Path CHECKPOINTS = SharedData.checkpoint();

    @TempDir
    Path dir;

    @Test
    void inspectListsEveryTensorAndNamesWhatWasNotRebuilt() throws Exception {
        Path file = CHECKPOINTS.resolve("mae_vit").resolve("checkpoint-399.pth");
        List<String> expected = Files.readAllLines(CHECKPOINTS.resolve("mae_vit").resolve("tensors_checkpoint-399.txt"))
                .stream().filter(l -> !l.isBlank()).toList();
        assertEquals(0, run("inspect", file.toString(), "--json"), err);
        JsonObject o = JsonParser.parseString(out).getAsJsonObject();
        assertEquals("PyTorch zip", o.get("format").getAsString());
        JsonArray tensors = o.getAsJsonArray("tensors");
        assertEquals(expected.size(), tensors.size());
        for (int i = 0; i < expected.size(); i++) {
            String[] f = expected.get(i).split("\t");
            JsonObject t = tensors.get(i).getAsJsonObject();
            assertEquals(f[0].substring(1), t.get("name").getAsString());
            assertEquals(f[2], t.get("dtype").getAsString());
            assertEquals(f[1].replace(" ", ""), "(" + String.join(",", t.getAsJsonArray("shape").asList().stream()
                    .map(e -> e.getAsString()).toList()) + (t.getAsJsonArray("shape").size() == 1 ? ",)" : ")"));
        }
        assertEquals("args: argparse.Namespace", o.getAsJsonArray("not_rebuilt").get(0).getAsString());

        assertEquals(0, run("inspect", CHECKPOINTS.resolve("openclip_vit_gelu").resolve("open_clip_model.safetensors")
                .toString()), err);
        assertTrue(out.startsWith("safetensors checkpoint: "), out);
        assertTrue(out.contains("visual.conv1.weight") && out.contains("(64, 3, 8, 8)"), out);
    }

    @Test
    void inspectOfAHostileFileFailsInOneSentence() throws Exception {
        Path bad = Files.write(dir.resolve("weights.pth"), new byte[] { (byte) 0x80, 2, 'c', 'o', 's', '\n', 's',
                'y', 's', 't', 'e', 'm', '\n', '(', 'X', 1, 0, 0, 0, 'x', 't', 'R', '.' });
        assertEquals(1, run("inspect", bad.toString()));
        assertTrue(err.startsWith("brainalign inspect: File ") && err.contains("weights.pth"), err);
        assertEquals(1, err.strip().lines().count(), err);
    }

    @Test
    void convertWritesSafetensorsOnceAndNeverOverwrites() throws Exception {
        Path in = CHECKPOINTS.resolve("torchvision_vit_bf16").resolve("vit_state_dict_bf16.pth");
        Path target = dir.resolve("model.safetensors");
        assertEquals(0, run("convert", in.toString(), "--out", target.toString()), err);
        assertTrue(out.contains("wrote 44 tensors"), out);
        assertEquals(0, run("inspect", target.toString()), err);
        assertTrue(out.contains("BF16") && out.contains("encoder.layers.encoder_layer_0.mlp.0.weight"), out);
        long size = Files.size(target);
        assertEquals(1, run("convert", in.toString(), "--out", target.toString()));
        assertTrue(err.contains("already exists"), err);
        assertEquals(size, Files.size(target));
        assertEquals(2, run("convert", in.toString(), "--out", dir.resolve("model.pth").toString()));
        assertEquals(2, run("convert", in.toString()));
        try (var s = Files.list(dir)) {
            assertEquals(List.of(target), s.toList());
        }
    }
}
