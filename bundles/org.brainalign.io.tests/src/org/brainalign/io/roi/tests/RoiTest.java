package org.brainalign.io.roi.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.brainalign.core.data.LabelTable;
import org.brainalign.core.data.NsdLabels;
import org.brainalign.core.data.Roi;
import org.brainalign.core.data.RoiAtlas;
import org.brainalign.core.data.RoiDefinition;
import org.brainalign.core.data.VoxelSet;
import org.brainalign.io.DataFormatException;
import org.brainalign.io.nifti.NiftiImage;
import org.brainalign.io.roi.AtlasFile;
import org.brainalign.io.roi.LabelFile;
import org.brainalign.io.roi.RoiCommands;
import org.brainalign.io.roi.RoiDefinitionFile;
import org.brainalign.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ROIs on the real AAL atlas (aal.nii.gz with aal.nii.txt): label names, counts checked against nibabel's statistics
 * of the same volume, masks, coordinates, and saved ROI definitions.
 */
class RoiTest {

    private static Path aal;
    private static List<RoiCommands.LabelCount> rows;

    @TempDir
    Path dir;

    @BeforeAll
    static void listAal() throws IOException {
        aal = SharedData.nifti("aal.nii.gz");
        rows = RoiCommands.list(aal, null);
    }

    @Test
    void listNamesEveryAalLabelAndCountsAgreeWithNibabel() {
        assertEquals(116, rows.size());
        assertEquals(new RoiCommands.LabelCount(43, "Calcarine_L", rows.get(42).voxels()), rows.get(42));
        assertEquals("Vermis_10", rows.get(115).name());
        // reference-nibabel.json: 1479969 non-zero voxels, and the labels sum to 76656511
        assertEquals(1479969L, rows.stream().mapToLong(RoiCommands.LabelCount::voxels).sum());
        assertEquals(76656511L, rows.stream().mapToLong(r -> (long) r.label() * r.voxels()).sum());
        String text = RoiCommands.format(rows);
        assertTrue(text.lines().anyMatch(l -> l.matches("\\s+43\\s+Calcarine_L\\s+\\d+")), text);
    }

    @Test
    void maskOfTheCalcarineLabels() throws IOException {
        Path out = dir.resolve("V1.nii.gz");
        RoiCommands.MaskResult r = RoiCommands.mask(aal, null, new int[] { 43, 44 }, out);
        int expected = rows.get(42).voxels() + rows.get(43).voxels();
        assertEquals(expected, r.voxels().size());
        NiftiImage mask = NiftiImage.read(out);
        assertEquals("uint8", mask.header().dataType().numpyName());
        assertEquals(NiftiImage.read(aal).grid(), mask.grid());
        assertEquals(4, mask.header().sformCode(), "the atlas's MNI code is carried over");
        assertEquals(expected, (long) mask.statistics().sum());
        // the AAL affine is x = i - 90, y = j - 125, z = k - 71 (reference-nibabel.json)
        VoxelSet v = r.voxels();
        int[] ijk = v.grid().orElseThrow().ijk(v.index(0));
        assertArrayEquals(new double[] { ijk[0] - 90, ijk[1] - 125, ijk[2] - 71 }, v.coordinate(0), 0.0);
        // the calcarine sulcus is at the back of the brain, on both sides of the midline
        double[] mean = new double[3];
        for (double[] c : v.coordinates()) {
            for (int a = 0; a < 3; a++) {
                mean[a] += c[a] / v.size();
            }
        }
        assertTrue(mean[1] < -60, "posterior: " + mean[1]);
        assertEquals(0, mean[0], 10, "straddles the midline");
    }

    @Test
    void labelsByNameAndAbsentLabels() throws IOException {
        LabelTable t = AtlasFile.table(aal, null);
        assertArrayEquals(new int[] { 43, 44, 18, 19, 20 },
                AtlasFile.parseLabels("Calcarine_L, Calcarine_R,18-20", t, aal));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> AtlasFile.parseLabels("Calcarine_X", t, aal));
        assertTrue(e.getMessage().contains("Calcarine_X") && e.getMessage().contains(aal.toString()));
        Path out = dir.resolve("none.nii");
        e = assertThrows(DataFormatException.class, () -> RoiCommands.mask(aal, null, new int[] { 200 }, out));
        assertTrue(e.getMessage().contains("no voxel labelled 200"));
        assertTrue(Files.notExists(out));
    }

    @Test
    void fslXmlLabelsAreNumberedFromOne() throws IOException {
        Path xml = dir.resolve("atlas.xml");
        Files.writeString(xml, """
                <?xml version="1.0" encoding="ISO-8859-1"?>
                <atlas version="1.0">
                  <header><name>Toy</name><type>Label</type></header>
                  <data>
                    <label index="0" x="48" y="94" z="35">Frontal Pole</label>
                    <label index="1" x="25" y="70" z="32">Insular Cortex &amp; more</label>
                  </data>
                </atlas>
                """);
        LabelTable t = LabelFile.read(xml);
        assertEquals(Map.of(1, "Frontal Pole", 2, "Insular Cortex & more"), t.asMap());
        Path txt = dir.resolve("labels.txt");
        Files.writeString(txt, "# comment\n1 Left Thing\n2\tRight_Thing 2002\n\n");
        assertEquals(Map.of(1, "Left Thing", 2, "Right_Thing"), LabelFile.read(txt).asMap());
        Files.writeString(txt, "1 A\nnot a line\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> LabelFile.read(txt));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains(txt.toString()), e.getMessage());
    }

    @Test
    void lookupTablesOfFreeSurferAndFsleyesGiveTheirNames() throws IOException {
        // FreeSurferColorLUT.txt's layout (index name R G B A) and FSLeyes' (index r g b name, names with spaces)
        Path freesurfer = dir.resolve("aseg.lut");
        Files.writeString(freesurfer, "#No. Label Name:  R   G   B   A\n0   Unknown  0   0   0   0\n"
                + "17  Left-Hippocampus  220 216 20  0\n");
        assertEquals(Map.of(0, "Unknown", 17, "Left-Hippocampus"), LabelFile.read(freesurfer).asMap());
        Path fsleyes = dir.resolve("toy.lut");
        Files.writeString(fsleyes, "1 0.0 0.5 1 Frontal Pole\n2 1.0 0.0 0.25 V1\n");
        assertEquals(Map.of(1, "Frontal Pole", 2, "V1"), LabelFile.read(fsleyes).asMap());
        Files.writeString(fsleyes, "1 0.0 0.5 1 Frontal Pole\n2 red V1\n");
        DataFormatException e = assertThrows(DataFormatException.class, () -> LabelFile.read(fsleyes));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains(fsleyes.toString()), e.getMessage());
    }

    @Test
    void theLabelFilesBesideAVolumeAreFoundInLookupOrder() throws IOException {
        Path volume = Files.createFile(dir.resolve("atlas.nii.gz"));
        assertEquals(List.of(), AtlasFile.labelFiles(volume));
        Path lut = Files.writeString(dir.resolve("atlas.lut"), "1 0 0 1 Area one\n");
        Path txt = Files.writeString(dir.resolve("atlas.nii.txt"), "1 Area_one\n");
        Files.writeString(dir.resolve("other.txt"), "1 Other\n");
        assertEquals(List.of(txt, lut), AtlasFile.labelFiles(volume));
        assertEquals(Map.of(1, "Area_one"), AtlasFile.table(volume, null).asMap(), "the first one found names");
        assertTrue(AtlasFile.isLabelFile(lut) && AtlasFile.isLabelFile(dir.resolve("x.XML")));
        assertTrue(!AtlasFile.isLabelFile(volume));
    }

    @Test
    void roiDefinitionsSaveAndLoad() throws IOException {
        List<RoiDefinition> defs = List.of(new RoiDefinition("V1", "aal.nii.gz", new int[] { 43, 44 }),
                new RoiDefinition("FFA", "aal.nii.gz", new int[] { 55, 56 }));
        Path json = dir.resolve("rois.json");
        RoiDefinitionFile.write(json, defs);
        assertEquals(defs, RoiDefinitionFile.read(json));
        assertTrue(Files.readString(json).contains("\"labels\": ["));
        // a definition applied to the atlas gives the mask's voxels
        RoiAtlas atlas = AtlasFile.read(aal, null);
        VoxelSet all = VoxelSet.ofMask(atlas.grid().orElseThrow(), atlas.mask(43, 44, 55, 56));
        Roi v1 = atlas.roi(defs.get(0), all);
        assertEquals(rows.get(42).voxels() + rows.get(43).voxels(), v1.size());
        Files.writeString(json, "{\"rois\": [{\"name\": \"X\"}]}");
        DataFormatException e = assertThrows(DataFormatException.class, () -> RoiDefinitionFile.read(json));
        assertTrue(e.getMessage().contains(json.toString()));
    }

    @Test
    void nsdTablesAndPaperGroups() {
        assertEquals("hV4", NsdLabels.table("prf-visualrois").name(7).orElseThrow());
        assertEquals("FEF", NsdLabels.table("Kastner2015").name(25).orElseThrow());
        assertEquals("IPS0", NsdLabels.table("Kastner2015").name(18).orElseThrow());
        assertEquals("parietal", NsdLabels.table("streams").name(7).orElseThrow());
        List<String> names = NsdLabels.paperGroups().stream().map(RoiDefinition::name).toList();
        assertEquals(List.of("V1", "V2", "V3", "V4", "EBA", "FBA", "OFA", "FFA", "OPA", "PPA", "OWFA", "VWFA"), names);
        for (RoiDefinition g : NsdLabels.paperGroups()) {
            LabelTable t = NsdLabels.table(g.atlas());
            for (int l : g.labels()) {
                String label = t.name(l).orElseThrow();
                assertTrue(label.startsWith(g.name().equals("V4") ? "hV4" : g.name()), g + " contains " + label);
            }
        }
    }
}
