package org.brainalign.io.torch.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.brainalign.io.DataFormatException;
import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.io.torch.SafetensorsExport;
import org.brainalign.io.torch.TorchCheckpoint;
import org.brainalign.io.torch.TorchCheckpointWriter;
import org.brainalign.io.torch.TorchTensor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Converting checkpoints to safetensors and writing state dicts in torch.save's layout. */
class CheckpointExportTest {

    @TempDir
    Path dir;

    @Test
    void conversionKeepsNamesShapesElementTypesAndValues() throws IOException {
        Path fp16 = TorchCheckpointTest.checkpoints().resolve("openclip_vit_fp16")
                .resolve("open_clip_pytorch_model.bin");
        Path out = dir.resolve("model.safetensors");
        try (TorchCheckpoint c = TorchCheckpoint.open(fp16)) {
            SafetensorsExport.write(c, out, new NullProgressMonitor());
            try (SafetensorsFile s = SafetensorsFile.open(out)) {
                assertEquals(List.copyOf(c.tensors().keySet()), List.copyOf(s.names()));
                assertEquals(Map.of("format", "pt"), s.metadata());
                for (Map.Entry<String, TorchTensor> e : c.tensors().entrySet()) {
                    assertEquals(e.getValue().dtype().safetensorsCode(), s.info(e.getKey()).dtype());
                    assertArrayEquals(e.getValue().shape(), s.info(e.getKey()).shape());
                    assertArrayEquals(c.readFloats(e.getKey()), s.readFloats(e.getKey()), e.getKey());
                }
                assertEquals("F16", s.info("visual.conv1.weight").dtype());
            }
        }
        assertOnly(out);
    }

    @Test
    void viewsOfOneStorageBecomeSeparateRowMajorTensors() throws IOException {
        Path folder = TorchCheckpointTest.checkpoints().resolve("torchvision_vit");
        Path out = dir.resolve("shared.safetensors");
        try (TorchCheckpoint shared = TorchCheckpoint.open(folder.resolve("vit_state_dict_shared_storage.pth"));
                TorchCheckpoint plain = TorchCheckpoint.open(folder.resolve("vit_state_dict.pth"))) {
            SafetensorsExport.write(shared, out, new NullProgressMonitor());
            try (SafetensorsFile s = SafetensorsFile.open(out)) {
                for (String name : plain.tensors().keySet()) {
                    assertArrayEquals(plain.readFloats(name), s.readFloats(name), name);
                }
            }
        }
    }

    @Test
    void neitherAnExistingFileNorTheInputIsOverwritten() throws IOException {
        Path source = TorchCheckpointTest.checkpoints().resolve("mae_vit").resolve("mae_pretrain_vit_base.pth");
        Path taken = Files.writeString(dir.resolve("taken.safetensors"), "keep me");
        try (TorchCheckpoint c = TorchCheckpoint.open(source)) {
            DataFormatException e = assertThrows(DataFormatException.class,
                    () -> SafetensorsExport.write(c, taken, new NullProgressMonitor()));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
            assertThrows(DataFormatException.class,
                    () -> SafetensorsExport.write(c, source, new NullProgressMonitor()));
        }
        assertEquals("keep me", Files.readString(taken));
        assertOnly(taken);
    }

    @Test
    void aWrittenStateDictReadsBackAsTheSameTensors() throws IOException {
        Path source = TorchCheckpointTest.checkpoints().resolve("torchvision_vit").resolve("vit_state_dict.pth");
        Path out = dir.resolve("tuned.pth");
        try (TorchCheckpoint c = TorchCheckpoint.open(source)) {
            Map<String, TorchCheckpointWriter.Tensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, TorchTensor> e : c.tensors().entrySet()) {
                tensors.put(e.getKey(), new TorchCheckpointWriter.Tensor(e.getValue().dtype(), e.getValue().shape(),
                        c.readBytes(e.getValue())));
            }
            TorchCheckpointWriter.write(out, "tuned", tensors);
            try (TorchCheckpoint back = TorchCheckpoint.open(out)) {
                assertEquals("zip", back.format());
                assertEquals(List.copyOf(c.tensors().keySet()), List.copyOf(back.tensors().keySet()));
                for (String name : c.tensors().keySet()) {
                    assertArrayEquals(c.tensor(name).shape(), back.tensor(name).shape());
                    assertArrayEquals(c.readFloats(name), back.readFloats(name), name);
                }
            }
            assertThrows(DataFormatException.class, () -> TorchCheckpointWriter.write(out, "tuned", tensors));
        }
        assertOnly(out);
    }

    private void assertOnly(Path file) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(file), s.toList(), "no temporary file may be left behind");
        }
    }
}
