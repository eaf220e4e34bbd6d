package org.brainalign.workflow.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import javax.imageio.ImageIO;

import org.brainalign.engine.DevicePreference;
import org.brainalign.engine.backbone.Checkpoint;
import org.brainalign.io.run.RunFolder;
import org.brainalign.testing.SharedData;
import org.brainalign.workflow.FinetuneDriftExperiment;
import org.brainalign.workflow.demo.Demo;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The fine-tuning drift experiment on a PyTorch file in torchvision's own layout (the tiny torchvision ViT of the
 * shared checkpoints, 3 blocks of width 48, with the sidecar naming its 4 heads) and a tiny demo subject: the fit
 * before reads the file itself, fine-tuning writes its result under the file's own tensor names with a sidecar
 * beside it, and the fit after reads that result as the same family.
 */
class FinetuneDriftExperimentTest {

    @TempDir
    Path dir;

    @Test
    void runsOnANativeWeightFile() throws IOException {
        Path file = Files.copy(SharedData.checkpoint("torchvision_vit", "vit_state_dict.pth"),
                dir.resolve("vit_state_dict.pth"));
        Files.writeString(dir.resolve("vit_state_dict.pth.json"), "{\"heads\": 4}");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Path demo = dir.resolve("demo");
        Demo.run(new Demo.Options(demo, 20, 2, 1, 1, 2), "test", quiet, new NullProgressMonitor());
        Path classes = drawnClasses(dir.resolve("classes"));
        Path folder = dir.resolve("experiment");
        FinetuneDriftExperiment.Options o = new FinetuneDriftExperiment.Options("auto", file, classes,
                demo.resolve("subject").resolve("subject.json"), folder, 1, 1e-3, 1, 0, 2, DevicePreference.CPU);
        FinetuneDriftExperiment.Result result = FinetuneDriftExperiment.run(o, "test", quiet,
                new NullProgressMonitor());

        RunFolder before = RunFolder.open(FinetuneDriftExperiment.beforeRun(folder));
        RunFolder after = RunFolder.open(FinetuneDriftExperiment.afterRun(folder));
        assertEquals("torchvision-vit", before.info().backbone().get("family"));
        assertEquals("torchvision-vit", after.info().backbone().get("family"));
        Path tuned = folder.resolve("finetuned");
        // each fit names the weights it read by their bytes' SHA-256: the file itself, then the fine-tuned copy
        assertEquals(sha256(file), before.info().backbone().get("checkpoint_sha256"));
        assertEquals(sha256(tuned.resolve("model.safetensors")), after.info().backbone().get("checkpoint_sha256"));
        try (Checkpoint in = Checkpoint.open(file); Checkpoint out = Checkpoint.open(tuned)) {
            assertEquals(in.tensorNames(), out.tensorNames(), "the file's own names, in its order");
        }
        JsonObject sidecar = JsonParser.parseString(Files.readString(tuned.resolve("model.safetensors.json")))
                .getAsJsonObject();
        assertEquals(4, sidecar.get("heads").getAsInt());
        assertEquals(32, sidecar.get("image_size").getAsInt(), "torchvision's position table of 4 x 4 patches of 8");
        assertEquals("gelu", sidecar.get("hidden_act").getAsString());
        assertTrue(result.drift().rois().size() > 0, "a drift per ROI");
        for (String f : List.of("drift/drift.csv", "forgetting.csv", "report.html")) {
            assertTrue(Files.isRegularFile(folder.resolve(f)), f + " missing");
        }
    }

    /** Two classes of four drawn 32 x 32 images: bars and discs. */
    private static Path drawnClasses(Path root) throws IOException {
        for (int c = 0; c < 2; c++) {
            Path folder = Files.createDirectories(root.resolve(c == 0 ? "bars" : "discs"));
            for (int i = 0; i < 4; i++) {
                BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = image.createGraphics();
                g.setColor(new Color(60 + 40 * i, 120, 220 - 40 * i));
                if (c == 0) {
                    g.fillRect(4 + 5 * i, 2, 6, 28);
                } else {
                    g.fillOval(2 + 3 * i, 2 + 3 * i, 16, 16);
                }
                g.dispose();
                ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
            }
        }
        return root;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
