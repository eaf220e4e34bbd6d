package org.brainalign.io.safetensors.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.brainalign.io.safetensors.FloatTensor;
import org.brainalign.io.safetensors.SafetensorsFile;
import org.brainalign.io.safetensors.SafetensorsFormatException;
import org.brainalign.io.safetensors.SafetensorsWriter;
import org.brainalign.io.safetensors.TensorInfo;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** Reading and writing safetensors: round trips, a real checkpoint, hand-made dtypes, shards and broken files. */
class SafetensorsFileTest {

    @TempDir
    Path dir;

    private static Path model() {
        return SharedData.vitMnist();
    }

    private static LinkedHashMap<String, FloatTensor> sample() {
        LinkedHashMap<String, FloatTensor> t = new LinkedHashMap<>();
        // names deliberately not sorted, to see that file order is kept
        t.put("z.weight",
                new FloatTensor(new long[] { 2, 3 }, new float[] { 1, -2, 3.5f, Float.MIN_VALUE, 1e30f, -0f }));
        t.put("a.bias", new FloatTensor(new long[] { 3 }, new float[] { 0.1f, 0.2f, 0.3f }));
        t.put("scalar", new FloatTensor(new long[] {}, new float[] { 42 }));
        t.put("empty", new FloatTensor(new long[] { 0, 4 }, new float[0]));
        t.put("ünïcode name", new FloatTensor(new long[] { 1, 1, 1 }, new float[] { Float.NaN }));
        return t;
    }

    @Test
    void roundTripKeepsNamesOrderShapesValuesAndMetadata() throws IOException {
        Path file = dir.resolve("round.safetensors");
        LinkedHashMap<String, FloatTensor> tensors = sample();
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt", "note", "é"));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(List.copyOf(tensors.keySet()), List.copyOf(f.names()));
            for (Map.Entry<String, FloatTensor> e : tensors.entrySet()) {
                TensorInfo info = f.info(e.getKey());
                assertEquals("F32", info.dtype());
                assertArrayEquals(e.getValue().shape(), info.shape());
                // bit-exact: F32 written and read back must not change a single bit (NaN, -0 and subnormals too)
                float[] back = f.readFloats(e.getKey());
                assertEquals(e.getValue().data().length, back.length);
                for (int i = 0; i < back.length; i++) {
                    assertEquals(Float.floatToRawIntBits(e.getValue().data()[i]), Float.floatToRawIntBits(back[i]));
                }
            }
            assertEquals(Map.of("format", "pt", "note", "é"), f.metadata());
            assertEquals(List.of(file), f.files());
        }
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + headerLength) % 8, "data area must start on an 8-byte boundary");
        assertEquals(8 + headerLength + 4 * (6 + 3 + 1 + 0 + 1), bytes.length);
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "no temporary file may be left behind");
        }
    }

    @Test
    void writingIntoAMissingFolderFailsAndLeavesNothing() {
        Path file = dir.resolve("missing").resolve("x.safetensors");
        assertThrows(IOException.class, () -> SafetensorsWriter.write(file, sample(), null));
        assertFalse(Files.exists(file));
    }

    @Test
    void realCheckpointHasTheShapesItsConfigImplies() throws IOException {
        JsonObject config = JsonParser.parseString(Files.readString(model().resolve("config.json"))).getAsJsonObject();
        int width = config.get("hidden_size").getAsInt();
        int layers = config.get("num_hidden_layers").getAsInt();
        int inner = config.get("intermediate_size").getAsInt();
        int patch = config.get("patch_size").getAsInt();
        int channels = config.get("num_channels").getAsInt();
        int image = config.get("image_size").getAsInt();
        int tokens = (image / patch) * (image / patch) + 1;
        try (SafetensorsFile f = SafetensorsFile.open(model().resolve("model.safetensors"))) {
            assertEquals(4 + 16 * layers, f.names().size());
            assertArrayEquals(new long[] { 1, 1, width }, f.info("vit.embeddings.cls_token").shape());
            assertArrayEquals(new long[] { 1, tokens, width }, f.info("vit.embeddings.position_embeddings").shape());
            assertArrayEquals(new long[] { width, channels, patch, patch },
                    f.info("vit.embeddings.patch_embeddings.projection.weight").shape());
            for (int l = 0; l < layers; l++) {
                String p = "vit.encoder.layer." + l + ".";
                for (String qkv : new String[] { "query", "key", "value" }) {
                    assertArrayEquals(new long[] { width, width },
                            f.info(p + "attention.attention." + qkv + ".weight").shape());
                    assertArrayEquals(new long[] { width }, f.info(p + "attention.attention." + qkv + ".bias").shape());
                }
                assertArrayEquals(new long[] { width, width }, f.info(p + "attention.output.dense.weight").shape());
                assertArrayEquals(new long[] { inner, width }, f.info(p + "intermediate.dense.weight").shape());
                assertArrayEquals(new long[] { width, inner }, f.info(p + "output.dense.weight").shape());
                assertArrayEquals(new long[] { width }, f.info(p + "layernorm_before.weight").shape());
                assertArrayEquals(new long[] { width }, f.info(p + "layernorm_after.bias").shape());
            }
            assertEquals("pt", f.metadata().get("format"));
            // values read by numpy straight from the file bytes (np.frombuffer, float64 sums)
            float[] cls = f.readFloats("vit.embeddings.cls_token");
            assertEquals(-1.3998942375183105, cls[0], 0);
            assertEquals(-0.28153714537620544, cls[cls.length - 1], 0);
            // sums of float32 values in double: exact up to the summation order, far below 1e-9
            assertEquals(0.1688557423185557, sum(cls), 1e-9);
            float[] w = f.readFloats("vit.encoder.layer.5.output.dense.weight");
            assertEquals(-57.60044679721614, sum(w), 1e-9);
            assertEquals(0.3236735761165619, w[0], 0);
            assertEquals(-0.2004670351743698, w[w.length - 1], 0);
        }
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }

    /** Writes a safetensors file by hand, one tensor per (name, dtype, shape, raw little-endian bytes). */
    private Path handMade(String fileName, Object... spec) throws IOException {
        StringBuilder json = new StringBuilder("{");
        ByteBuffer data = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < spec.length; i += 4) {
            byte[] raw = (byte[]) spec[i + 3];
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(spec[i]).append("\":{\"dtype\":\"").append(spec[i + 1]).append("\",\"shape\":")
                    .append(Arrays.toString((long[]) spec[i + 2])).append(",\"data_offsets\":[")
                    .append(data.position()).append(',').append(data.position() + raw.length).append("]}");
            data.put(raw);
        }
        json.append('}');
        return raw(fileName, json.toString(), Arrays.copyOf(data.array(), data.position()));
    }

    private Path raw(String fileName, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path file = dir.resolve(fileName);
        Files.write(file, b.array());
        return file;
    }

    private static byte[] le(int bytesPerValue, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * bytesPerValue).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (bytesPerValue) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    @Test
    void otherDtypesAreConvertedToFloats() throws IOException {
        long[] three = { 3 };
        Path file = handMade("dtypes.safetensors",
                // IEEE half: 1.0 = 0x3C00, -2.0 = 0xC000, smallest subnormal 2^-24 = 0x0001
                "f16", "F16", three, le(2, 0x3C00, 0xC000, 0x0001),
                // bfloat16 is the upper half of a float: 1.0 = 0x3F80, -0.5 = 0xBF00, 3.0 = 0x4040
                "bf16", "BF16", three, le(2, 0x3F80, 0xBF00, 0x4040),
                "f64", "F64", three, le(8, Double.doubleToLongBits(0.1), Double.doubleToLongBits(-1e300),
                        Double.doubleToLongBits(2.5)),
                "i64", "I64", three, le(8, -7, 0, 1L << 40),
                "u8", "U8", three, le(1, 0, 200, 255),
                "i8", "I8", three, le(1, -128, 0, 127),
                "u16", "U16", three, le(2, 65535, 1, 0),
                "i32", "I32", three, le(4, -5, 70000, 0),
                "u32", "U32", three, le(4, 0xFFFFFFFFL, 1, 0),
                "bool", "BOOL", three, le(1, 0, 1, 1),
                // E4M3 (fn): 0x38 = 1.0, 0xC0 = -2.0, 0x01 = 2^-9 (subnormal); E5M2: 0x3C = 1.0, 0xC0 = -2.0, 0x7C = inf
                "e4m3", "F8_E4M3", three, le(1, 0x38, 0xC0, 0x01),
                "e5m2", "F8_E5M2", three, le(1, 0x3C, 0xC0, 0x7C));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[] { 1, -2, 0x1p-24f }, f.readFloats("f16"));
            assertArrayEquals(new float[] { 1, -0.5f, 3 }, f.readFloats("bf16"));
            assertArrayEquals(new float[] { 0.1f, Float.NEGATIVE_INFINITY, 2.5f }, f.readFloats("f64"));
            assertArrayEquals(new float[] { -7, 0, 0x1p40f }, f.readFloats("i64"));
            assertArrayEquals(new float[] { 0, 200, 255 }, f.readFloats("u8"));
            assertArrayEquals(new float[] { -128, 0, 127 }, f.readFloats("i8"));
            assertArrayEquals(new float[] { 65535, 1, 0 }, f.readFloats("u16"));
            assertArrayEquals(new float[] { -5, 70000, 0 }, f.readFloats("i32"));
            assertArrayEquals(new float[] { 4294967295f, 1, 0 }, f.readFloats("u32"));
            assertArrayEquals(new float[] { 0, 1, 1 }, f.readFloats("bool"));
            assertArrayEquals(new float[] { 1, -2, 0x1p-9f }, f.readFloats("e4m3"));
            assertArrayEquals(new float[] { 1, -2, Float.POSITIVE_INFINITY }, f.readFloats("e5m2"));
            assertEquals("BF16", f.info("bf16").dtype());
        }
    }

    @Test
    void shardedCheckpointIsOneViewOverItsFiles() throws IOException {
        LinkedHashMap<String, FloatTensor> first = new LinkedHashMap<>();
        first.put("a", new FloatTensor(new long[] { 2 }, new float[] { 1, 2 }));
        first.put("b", new FloatTensor(new long[] { 1 }, new float[] { 3 }));
        LinkedHashMap<String, FloatTensor> second = new LinkedHashMap<>();
        second.put("c", new FloatTensor(new long[] { 2, 1 }, new float[] { 4, 5 }));
        SafetensorsWriter.write(dir.resolve("model-00001-of-00002.safetensors"), first, null);
        SafetensorsWriter.write(dir.resolve("model-00002-of-00002.safetensors"), second, null);
        Path index = dir.resolve("model.safetensors.index.json");
        Files.writeString(index, "{\"metadata\": {\"total_size\": 20}, \"weight_map\": {"
                + "\"c\": \"model-00002-of-00002.safetensors\", \"a\": \"model-00001-of-00002.safetensors\","
                + "\"b\": \"model-00001-of-00002.safetensors\"}}");
        try (SafetensorsFile f = SafetensorsFile.open(index)) {
            assertEquals(List.of("c", "a", "b"), List.copyOf(f.names()));
            assertArrayEquals(new float[] { 4, 5 }, f.readFloats("c"));
            assertArrayEquals(new float[] { 1, 2 }, f.readFloats("a"));
            assertArrayEquals(new long[] { 2, 1 }, f.info("c").shape());
            assertEquals(dir.resolve("model-00002-of-00002.safetensors"), f.file("c"));
            assertEquals(2, f.files().size());
            assertEquals("20", f.metadata().get("total_size"));
        }
        Files.writeString(index, "{\"weight_map\": {\"d\": \"model-00002-of-00002.safetensors\"}}");
        var e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(index));
        assertTrue(e.getMessage().contains("'d'") && e.getMessage().contains("model-00002-of-00002.safetensors"),
                e.getMessage());
        Files.writeString(index, "{\"weight_map\": {\"a\": \"nowhere.safetensors\"}}");
        e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(index));
        assertTrue(e.getMessage().contains("nowhere.safetensors"), e.getMessage());
        Files.writeString(index, "{\"other\": 1}");
        e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(index));
        assertTrue(e.getMessage().contains("weight_map") && e.getMessage().contains(index.toString()), e.getMessage());
    }

    private void assertRefused(Path file, String why) {
        var e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsFile.open(file).close());
        assertTrue(e.getMessage().startsWith(file.toString()), "message must name the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(why), "message must say '" + why + "': " + e.getMessage());
    }

    @Test
    void truncatedFileIsRefusedNamingTheFile() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafetensorsWriter.write(good, sample(), null);
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 3));
        assertRefused(cut, "truncated");
        Path headerCut = dir.resolve("headercut.safetensors");
        Files.write(headerCut, Arrays.copyOf(bytes, 40));
        assertRefused(headerCut, "truncated");
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] { 1, 2, 3 });
        assertRefused(tiny, "too short");
    }

    @Test
    void corruptedHeadersAreRefusedNamingTheFile() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafetensorsWriter.write(good, sample(), null);
        byte[] bytes = Files.readAllBytes(good);

        byte[] hugeLength = bytes.clone();
        hugeLength[7] = 0x7f;
        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, hugeLength);
        assertRefused(huge, "impossible");

        byte[] brokenJson = bytes.clone();
        brokenJson[8 + 1] = ':';
        Path broken = dir.resolve("broken.safetensors");
        Files.write(broken, brokenJson);
        assertRefused(broken, "malformed");

        byte[] notJson = bytes.clone();
        notJson[8] = 'x';
        Path notObject = dir.resolve("notobject.safetensors");
        Files.write(notObject, notJson);
        assertRefused(notObject, "JSON object");

        byte[] four = le(4, 1, 2, 3, 4);
        assertRefused(raw("mismatch.safetensors",
                "{\"t\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", four), "needs 12");
        assertRefused(raw("dtype.safetensors",
                "{\"t\":{\"dtype\":\"Q7\",\"shape\":[4],\"data_offsets\":[0,16]}}", four), "unknown dtype 'Q7'");
        assertRefused(raw("range.safetensors",
                "{\"t\":{\"dtype\":\"F32\",\"shape\":[8],\"data_offsets\":[0,32]}}", four), "ends at byte 32");
        assertRefused(raw("overlap.safetensors", "{\"t\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"u\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", four), "overlap");
        assertRefused(raw("twice.safetensors", "{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", four), "twice");
        assertRefused(raw("noshape.safetensors", "{\"t\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", four),
                "shape");
        assertRefused(raw("negative.safetensors",
                "{\"t\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", four), "negative");
        assertRefused(raw("meta.safetensors", "{\"__metadata__\":{\"n\":1}}", four), "must be strings");
        assertRefused(dir.resolve("absent.safetensors"), "no such file");
    }

    @Test
    void unknownTensorNamesTheFile() throws IOException {
        Path file = dir.resolve("round.safetensors");
        SafetensorsWriter.write(file, sample(), null);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            var e = assertThrows(IllegalArgumentException.class, () -> f.info("nope"));
            assertTrue(e.getMessage().contains("nope") && e.getMessage().contains(file.toString()));
            assertFalse(f.contains("nope"));
            assertTrue(f.contains("a.bias"));
        }
    }
}
