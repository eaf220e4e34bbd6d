package org.brainalign.io.nifti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.brainalign.core.Affine;
import org.brainalign.core.VolumeGrid;
import org.brainalign.io.DataFormatException;

/**
 * A NIfTI header is the fixed-size block at the start of a NIfTI-1 (348 bytes) or NIfTI-2 (540 bytes) file that
 * describes the data after it: dimensions, datatype, byte order, voxel sizes, scaling and the two voxel-to-world
 * transforms (the quaternion "qform" and the matrix "sform", each with a code saying what world it maps to). Values
 * are kept as stored; derived quantities (the affine in use, the scaling in effect, the data offset) follow
 * nibabel's rules, documented on each method. Instances are immutable; the {@code with...} methods return copies
 * for writing. The byte layouts of the two versions live in {@link Nifti1Codec} and {@link Nifti2Codec}.
 */
public final class NiftiHeader implements Cloneable {

    /** Size of a NIfTI-1 header in bytes. */
    public static final int NIFTI1_SIZE = 348;
    /** Size of a NIfTI-2 header in bytes. */
    public static final int NIFTI2_SIZE = 540;

    private static final String[] SPACE_UNITS = { "unknown", "meter", "mm", "micron" };
    private static final String[] TIME_UNITS = { "unknown", "sec", "msec", "usec", "hz", "ppm", "rads" };
    /** Largest data a header may claim: 1 TiB, far beyond any fMRI file, so absurd headers are refused early. */
    private static final long MAX_DATA_BYTES = 1L << 40;

    /** The last xform code nibabel knows (5, template): it sets any other code to 0 (unknown) when loading. */
    private static final int LAST_XFORM_CODE = 5;

    // Package-private so that the codecs of this package fill and read them; outside it the header is immutable.
    int version;
    ByteOrder byteOrder;
    boolean pair;
    int datatypeCode;
    int bitpix;
    long[] dim = new long[8];
    double[] pixdim = new double[8];
    long voxOffset;
    double sclSlope;
    double sclInter;
    double calMin;
    double calMax;
    double sliceDuration;
    double toffset;
    long sliceStart;
    long sliceEnd;
    int sliceCode;
    int xyztUnits;
    int intentCode;
    double[] intentParams = new double[3];
    String intentName = "";
    String descrip = "";
    String auxFile = "";
    int qformCode;
    int sformCode;
    double[] quatern = new double[3];
    double[] qoffset = new double[3];
    double[] srow = new double[12];
    int dimInfo;
    List<NiftiExtension> extensions = List.of();

    private NiftiHeader() {
    }

    // ------------------------------------------------------------------ parsing

    /**
     * @param first4 the first four bytes of a file (after decompression)
     * @return the header size they announce (348 or 540), or -1 if they announce neither in either byte order
     */
    static int announcedSize(byte[] first4) {
        ByteBuffer b = ByteBuffer.wrap(first4);
        for (ByteOrder o : new ByteOrder[] { ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN }) {
            int s = b.order(o).getInt(0);
            if (s == NIFTI1_SIZE || s == NIFTI2_SIZE) {
                return s;
            }
        }
        return -1;
    }

    /**
     * Parses a header.
     *
     * @param bytes the header's bytes (348 or 540 of them, at least)
     * @param file the file it comes from, for messages
     * @return the header
     * @throws DataFormatException if the bytes are not a usable NIfTI-1 or NIfTI-2 header
     */
    public static NiftiHeader parse(byte[] bytes, Path file) throws DataFormatException {
        if (bytes.length < 4) {
            throw DataFormatException.of(file, "is too short to be a NIfTI file (" + bytes.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        NiftiHeader h = new NiftiHeader();
        int size = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (size == NIFTI1_SIZE || size == NIFTI2_SIZE) {
            h.byteOrder = ByteOrder.LITTLE_ENDIAN;
        } else {
            size = b.order(ByteOrder.BIG_ENDIAN).getInt(0);
            if (size != NIFTI1_SIZE && size != NIFTI2_SIZE) {
                throw DataFormatException.of(file, "is not a NIfTI file: its first four bytes announce a header of "
                        + b.order(ByteOrder.LITTLE_ENDIAN).getInt(0) + " bytes, not 348 (NIfTI-1) or 540 (NIfTI-2)");
            }
            h.byteOrder = ByteOrder.BIG_ENDIAN;
        }
        if (bytes.length < size) {
            throw DataFormatException.of(file,
                    "ends inside its NIfTI header (" + bytes.length + " of " + size + " bytes)");
        }
        b.order(h.byteOrder);
        NiftiCodec codec = NiftiCodec.ofSize(size);
        h.version = codec.version();
        codec.decode(b, file, h);
        h.validate(file);
        return h;
    }

    private void validate(Path file) throws DataFormatException {
        long ndim = dim[0];
        if (ndim < 1 || ndim > 7) {
            throw DataFormatException.of(file, "has dim[0] = " + ndim
                    + " in its NIfTI header, but the number of dimensions must be 1 to 7");
        }
        long voxels = 1;
        for (int i = 1; i <= ndim; i++) {
            if (dim[i] < 1) {
                throw DataFormatException.of(file, "has a " + (dim[i] < 0 ? "negative" : "zero") + " size "
                        + dim[i] + " along dimension " + i + " in its NIfTI header");
            }
            if (dim[i] > Integer.MAX_VALUE || voxels > MAX_DATA_BYTES / dim[i]) {
                throw DataFormatException.of(file, "has absurd dimensions " + Arrays.toString(shapeAsLongs())
                        + " in its NIfTI header (more than 2^40 values)");
            }
            voxels *= dim[i];
        }
        long spatial = 1;
        for (int i = 1; i <= Math.min(3, ndim); i++) {
            spatial *= dim[i];
        }
        if (spatial > Integer.MAX_VALUE || voxels / spatial > Integer.MAX_VALUE) {
            throw DataFormatException.of(file, "has absurd dimensions " + Arrays.toString(shapeAsLongs())
                    + " in its NIfTI header (more than 2^31 voxels per volume or volumes)");
        }
        NiftiDataType type = NiftiDataType.ofCode(datatypeCode);
        if (type == null) {
            throw DataFormatException.of(file, "has an unknown NIfTI datatype code " + datatypeCode);
        }
        if (!type.isReadable()) {
            throw DataFormatException.of(file, "holds " + type.numpyName() + " values (NIfTI datatype "
                    + datatypeCode + "), which BrainAlign does not read; convert it to a real-valued type");
        }
        if (voxels * type.bytes() > MAX_DATA_BYTES) {
            throw DataFormatException.of(file, "has absurd dimensions " + Arrays.toString(shapeAsLongs())
                    + " in its NIfTI header (" + voxels * type.bytes() + " bytes of data)");
        }
        checkAsNibabel(file);
    }

    /**
     * The checks and fixes nibabel applies when it loads a header (its check_fix at the default error level, and
     * what loading the data and the affine then need): an unknown xform code is set to 0; a single file whose
     * vox_offset lies inside the header, a valid slope with a non-finite intercept, and a qform in use whose
     * quaternion is longer than 1 are refused, as nibabel refuses them; an affine in use that is not finite (a NaN
     * voxel size or sform entry, which nibabel keeps) cannot place the image and is refused as well.
     */
    private void checkAsNibabel(Path file) throws DataFormatException {
        if (qformCode < 0 || qformCode > LAST_XFORM_CODE) {
            qformCode = 0;
        }
        if (sformCode < 0 || sformCode > LAST_XFORM_CODE) {
            sformCode = 0;
        }
        int headerEnd = version == 1 ? NIFTI1_SIZE + 4 : NIFTI2_SIZE + 4;
        if (!pair && voxOffset != 0 && voxOffset < headerEnd) {
            throw DataFormatException.of(file, "has vox_offset " + voxOffset + ", inside its own header: the data of"
                    + " a single-file NIfTI-" + version + " image start at byte " + headerEnd + " or later");
        }
        if (sclSlope != 0 && Double.isFinite(sclSlope) && !Double.isFinite(sclInter)) {
            throw DataFormatException.of(file, "has scl_slope " + sclSlope + " with scl_inter " + sclInter
                    + ", so its values cannot be scaled");
        }
        String source = affineSource();
        if (source.equals("qform")) {
            if (!quaternionIsRotation()) {
                throw DataFormatException.of(file, "has a qform quaternion (b, c, d) = " + Arrays.toString(quatern)
                        + " longer than 1, which is no rotation, so the qform cannot place the image");
            }
        }
        boolean finite = true;
        if (source.equals("sform")) {
            for (double v : srow) {
                finite &= Double.isFinite(v);
            }
        } else {
            for (int axis = 0; axis < 3; axis++) {
                finite &= axis >= dim[0] || Double.isFinite(pixdim[axis + 1]);
            }
            if (source.equals("qform")) {
                for (double v : quatern) {
                    finite &= Double.isFinite(v);
                }
                for (double v : qoffset) {
                    finite &= Double.isFinite(v);
                }
            }
        }
        if (!finite) {
            throw DataFormatException.of(file, "has a " + (source.equals("sform") ? "sform" : "voxel size (pixdim)")
                    + " that is not a finite number, so its " + source + " affine cannot place the image");
        }
    }

    NiftiHeader withExtensions(List<NiftiExtension> ext) {
        NiftiHeader h = copy();
        h.extensions = List.copyOf(ext);
        return h;
    }

    // ------------------------------------------------------------------ creating headers for writing

    /**
     * A header for writing data on a grid: sform and qform both carry the grid's affine (code 2, "aligned"), so that
     * viewers that prefer either transform show the data in the same place. An affine with shear cannot be a qform;
     * the qform then holds its nearest rotation and zooms, and the sform (which nibabel and most tools prefer) holds
     * it exactly.
     *
     * @param grid the grid
     * @param type the datatype to store
     * @param volumes the number of volumes (1 for a 3-D image)
     * @return the header
     */
    public static NiftiHeader forGrid(VolumeGrid grid, NiftiDataType type, int volumes) {
        NiftiHeader h = new NiftiHeader();
        h.version = 1;
        h.byteOrder = ByteOrder.LITTLE_ENDIAN;
        h.xyztUnits = 2 | 8; // mm, sec
        h.setAffine(grid.affine(), 2, 2);
        return h.withShapeAndType(volumes > 1
                ? new int[] { grid.size(0), grid.size(1), grid.size(2), volumes }
                : grid.shape(), type);
    }

    /**
     * A header for writing data derived from another file on the same grid: the geometry (voxel sizes, qform and
     * sform with their codes, units, dim_info) is carried over as stored; shape and datatype are new and scaling is
     * reset to none.
     *
     * @param source the header of the source file
     * @param shape the new data shape; its first three sizes must equal the source's
     * @param type the datatype to store
     * @return the header
     */
    public static NiftiHeader derived(NiftiHeader source, int[] shape, NiftiDataType type) {
        int[] s = source.spatialShape();
        if (shape.length < 3 || shape[0] != s[0] || shape[1] != s[1] || shape[2] != s[2]) {
            throw new IllegalArgumentException("a derived image must keep the spatial shape " + Arrays.toString(s)
                    + ", got " + Arrays.toString(shape));
        }
        NiftiHeader h = source.copy();
        h.byteOrder = ByteOrder.LITTLE_ENDIAN;
        h.extensions = List.of();
        h.intentCode = 0;
        h.intentName = "";
        h.intentParams = new double[3];
        h.calMin = 0;
        h.calMax = 0;
        h.descrip = "";
        h.auxFile = "";
        return h.withShapeAndType(shape, type);
    }

    /**
     * @param shape the data shape (1 to 7 sizes)
     * @param type the datatype
     * @return a copy with this shape and type, no scaling, and the version (NIfTI-1 unless a size needs NIfTI-2)
     */
    public NiftiHeader withShapeAndType(int[] shape, NiftiDataType type) {
        if (shape.length < 1 || shape.length > 7) {
            throw new IllegalArgumentException("a NIfTI image has 1 to 7 dimensions, got " + shape.length);
        }
        if (!type.isReadable() || type == NiftiDataType.RGB24 || type == NiftiDataType.RGBA32
                || type == NiftiDataType.UINT64) {
            throw new IllegalArgumentException("BrainAlign does not write " + type.numpyName() + " images");
        }
        NiftiHeader h = copy();
        h.dim = new long[8];
        h.dim[0] = shape.length;
        boolean big = false;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 1) {
                throw new IllegalArgumentException("sizes must be positive, got " + Arrays.toString(shape));
            }
            h.dim[i + 1] = shape[i];
            big |= shape[i] > Short.MAX_VALUE;
        }
        for (int i = shape.length + 1; i < 8; i++) {
            h.dim[i] = 1;
        }
        for (int i = 1; i <= Math.max(3, shape.length); i++) {
            if (h.pixdim[i] == 0 || Double.isNaN(h.pixdim[i])) {
                h.pixdim[i] = 1;
            }
        }
        h.version = big ? 2 : 1;
        h.pair = false;
        h.datatypeCode = type.code();
        h.bitpix = type.bitpix();
        h.sclSlope = 1;
        h.sclInter = 0;
        h.voxOffset = (big ? NIFTI2_SIZE : NIFTI1_SIZE) + 4;
        return h;
    }

    /**
     * @param slope scl_slope (0 or NaN: no scaling)
     * @param inter scl_inter
     * @return a copy with this scaling
     */
    public NiftiHeader withScaling(double slope, double inter) {
        NiftiHeader h = copy();
        h.sclSlope = slope;
        h.sclInter = inter;
        return h;
    }

    /**
     * @param text the description (at most 79 characters are kept)
     * @return a copy with this description
     */
    public NiftiHeader withDescription(String text) {
        NiftiHeader h = copy();
        h.descrip = text.length() > 79 ? text.substring(0, 79) : text;
        return h;
    }

    private void setAffine(Affine a, int qCode, int sCode) {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                srow[4 * r + c] = a.get(r, c);
            }
        }
        double[] zooms = a.voxelSizes();
        double[] rot = new double[9];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                rot[3 * r + c] = zooms[c] == 0 ? (r == c ? 1 : 0) : a.get(r, c) / zooms[c];
            }
        }
        rot = Quaternion.nearestRotation(rot);
        double det = rot[0] * (rot[4] * rot[8] - rot[5] * rot[7]) - rot[1] * (rot[3] * rot[8] - rot[5] * rot[6])
                + rot[2] * (rot[3] * rot[7] - rot[4] * rot[6]);
        double qfac = 1;
        if (det < 0) {
            qfac = -1;
            rot[2] = -rot[2];
            rot[5] = -rot[5];
            rot[8] = -rot[8];
        }
        double[] q = Quaternion.fromRotation(rot);
        System.arraycopy(q, 1, quatern, 0, 3);
        for (int i = 0; i < 3; i++) {
            qoffset[i] = a.get(i, 3);
            pixdim[i + 1] = zooms[i] == 0 ? 1 : zooms[i];
        }
        pixdim[0] = qfac;
        qformCode = qCode;
        sformCode = sCode;
    }

    private NiftiHeader copy() {
        try {
            NiftiHeader h = (NiftiHeader) super.clone();
            h.dim = dim.clone();
            h.pixdim = pixdim.clone();
            h.intentParams = intentParams.clone();
            h.quatern = quatern.clone();
            h.qoffset = qoffset.clone();
            h.srow = srow.clone();
            return h;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------ encoding

    /**
     * Encodes this header for a single file (.nii), followed by the four-byte extension flag (no extensions).
     *
     * @return 352 bytes (NIfTI-1) or 544 bytes (NIfTI-2), in this header's byte order
     */
    public byte[] encode() {
        return NiftiCodec.of(version).encode(this);
    }

    // ------------------------------------------------------------------ accessors

    /** @return 1 for NIfTI-1, 2 for NIfTI-2 */
    public int version() {
        return version;
    }

    /** @return the byte order of the header and data */
    public ByteOrder byteOrder() {
        return byteOrder;
    }

    /** @return whether the header belongs to a .hdr/.img pair (magic ni1/ni2) rather than a single file */
    public boolean isPair() {
        return pair;
    }

    /** @return the datatype of the stored values */
    public NiftiDataType dataType() {
        return NiftiDataType.ofCode(datatypeCode);
    }

    /** @return the stored bitpix field (not used for reading: the datatype decides) */
    public int bitpix() {
        return bitpix;
    }

    /** @return the number of dimensions, dim[0] */
    public int dimensions() {
        return (int) dim[0];
    }

    /** @return the data shape, dim[1..dim[0]] */
    public int[] shape() {
        int[] s = new int[(int) dim[0]];
        for (int i = 0; i < s.length; i++) {
            s[i] = (int) dim[i + 1];
        }
        return s;
    }

    private long[] shapeAsLongs() {
        return Arrays.copyOfRange(dim, 1, (int) Math.max(1, Math.min(7, dim[0])) + 1);
    }

    /** @return the first three sizes, padded with 1 for images of fewer dimensions */
    public int[] spatialShape() {
        int[] s = { 1, 1, 1 };
        for (int i = 0; i < Math.min(3, dim[0]); i++) {
            s[i] = (int) dim[i + 1];
        }
        return s;
    }

    /** @return the number of voxels in one 3-D volume */
    public int voxelsPerVolume() {
        int[] s = spatialShape();
        return Math.multiplyExact(Math.multiplyExact(s[0], s[1]), s[2]);
    }

    /** @return the number of 3-D volumes: the product of dimensions 4 to 7 (1 for a 3-D image) */
    public int volumeCount() {
        long n = 1;
        for (int i = 4; i <= dim[0]; i++) {
            n *= dim[i];
        }
        return Math.toIntExact(n);
    }

    /** @return the total number of values */
    public long valueCount() {
        long n = 1;
        for (int i = 1; i <= dim[0]; i++) {
            n *= dim[i];
        }
        return n;
    }

    /** @return the number of data bytes the dimensions and datatype call for */
    public long dataBytes() {
        return valueCount() * dataType().bytes();
    }

    /** @return a copy of all eight pixdim values as stored (pixdim[0] is qfac) */
    public double[] pixdim() {
        return pixdim.clone();
    }

    /** @return the voxel sizes along each data dimension, pixdim[1..dim[0]], as stored */
    public double[] zooms() {
        return Arrays.copyOfRange(pixdim, 1, (int) dim[0] + 1);
    }

    /**
     * The spatial voxel sizes used in the transforms, as nibabel uses them after checking a header: a negative size
     * counts as its absolute value and a zero size as 1 (a NaN stays NaN, as in nibabel, and is refused when parsing
     * where it would enter the affine in use).
     */
    private double spatialZoom(int axis) {
        double p = Math.abs(pixdim[axis + 1]);
        return p == 0 ? 1 : p;
    }

    /**
     * The qform's handedness factor: -1 when pixdim[0] is exactly -1, else 1 (nibabel resets any value other than
     * 1 or -1, including the 0 many old files hold, to 1).
     *
     * @return 1 or -1
     */
    public double qfac() {
        return pixdim[0] == -1 ? -1 : 1;
    }

    /** @return vox_offset as stored: where the data start in a single file (0 in many .hdr/.img pairs) */
    public long voxOffset() {
        return voxOffset;
    }

    /**
     * @return the byte offset at which data start in the file that holds them: vox_offset, but at least just after
     *         the header and extension flag in a single file (a 0 there is a broken header that nibabel reads the
     *         same way)
     */
    public long dataOffset() {
        if (pair) {
            return voxOffset;
        }
        int min = (version == 1 ? NIFTI1_SIZE : NIFTI2_SIZE) + 4;
        return Math.max(voxOffset, min);
    }

    /** @return scl_slope as stored */
    public double sclSlope() {
        return sclSlope;
    }

    /** @return scl_inter as stored */
    public double sclInter() {
        return sclInter;
    }

    /**
     * @return whether values are scaled: scl_slope is neither 0 nor NaN (nor infinite) and the scaling is not the
     *         identity
     */
    public boolean isScaled() {
        return sclSlope != 0 && Double.isFinite(sclSlope) && !(sclSlope == 1 && (sclInter == 0 || !Double.isFinite(
                sclInter)));
    }

    /** @return the slope in effect: scl_slope when scaling applies, else 1 */
    public double slope() {
        return isScaled() ? sclSlope : 1;
    }

    /** @return the intercept in effect: scl_inter when scaling applies (a NaN intercept counts as 0), else 0 */
    public double intercept() {
        return isScaled() && Double.isFinite(sclInter) ? sclInter : 0;
    }

    /** @return cal_min as stored */
    public double calMin() {
        return calMin;
    }

    /** @return cal_max as stored */
    public double calMax() {
        return calMax;
    }

    /** @return the intent code (e.g. 1002 for a label volume) */
    public int intentCode() {
        return intentCode;
    }

    /** @return the description text */
    public String description() {
        return descrip;
    }

    /** @return the header extensions found between the header and the data, in file order */
    public List<NiftiExtension> extensions() {
        return extensions;
    }

    /** @return the qform code (0 unknown, 1 scanner, 2 aligned, 3 Talairach, 4 MNI, 5 template) */
    public int qformCode() {
        return qformCode;
    }

    /** @return the sform code */
    public int sformCode() {
        return sformCode;
    }

    /** @return the stored quaternion parameters b, c, d */
    public double[] quaternion() {
        return quatern.clone();
    }

    /**
     * @return whether the stored quaternion (b, c, d) is a rotation: not longer than 1 beyond rounding (3 machine
     *         epsilons of its stored precision, nibabel's threshold)
     */
    private boolean quaternionIsRotation() {
        double w2 = 1 - (quatern[0] * quatern[0] + quatern[1] * quatern[1] + quatern[2] * quatern[2]);
        return w2 >= -3 * (version == 1 ? Math.ulp(1f) : Math.ulp(1d));
    }

    /**
     * @return whether {@link #qform()} can be computed: the quaternion is a rotation and the quaternion, offsets and
     *         spatial voxel sizes are finite (nibabel raises on the first and yields NaN for the second)
     */
    public boolean hasUsableQform() {
        boolean finite = quaternionIsRotation();
        for (int i = 0; i < 3; i++) {
            finite &= Double.isFinite(quatern[i]) && Double.isFinite(qoffset[i])
                    && (i >= dim[0] || Double.isFinite(pixdim[i + 1]));
        }
        return finite;
    }

    /**
     * The qform transform, computed from the quaternion, qoffset, pixdim and qfac whatever the code (as nibabel's
     * {@code get_qform()} does); it is meaningful only when {@link #qformCode()} is positive.
     *
     * @return the qform affine
     */
    public Affine qform() {
        double[] r = Quaternion.toRotation(quatern[0], quatern[1], quatern[2], version == 1);
        double[] z = { spatialZoom(0), spatialZoom(1), spatialZoom(2) * qfac() };
        double[] m = new double[12];
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                m[4 * row + col] = r[3 * row + col] * z[col];
            }
            m[4 * row + 3] = qoffset[row];
        }
        return Affine.ofRowMajor(m);
    }

    /**
     * The sform transform, the srow_x/y/z matrix as stored whatever the code; meaningful only when
     * {@link #sformCode()} is positive.
     *
     * @return the sform affine (possibly all zeros)
     */
    public Affine sform() {
        return Affine.ofRowMajor(srow.clone());
    }

    /**
     * The fallback transform when neither code is set, as nibabel builds it: the pixdim diagonal with the x axis
     * flipped (radiological, as Analyze assumed) and the origin at the centre of the volume.
     *
     * @return the base affine
     */
    public Affine baseAffine() {
        int[] s = spatialShape();
        double[] m = new double[12];
        for (int i = 0; i < 3; i++) {
            double z = i < dim[0] ? spatialZoom(i) : 1;
            if (i == 0) {
                z = -z;
            }
            m[5 * i] = z;
            m[4 * i + 3] = -(s[i] - 1) / 2.0 * z;
        }
        return Affine.ofRowMajor(m);
    }

    /**
     * The affine in use, by nibabel's rule: the sform when sform_code > 0, else the qform when qform_code > 0, else
     * the {@link #baseAffine() pixdim fallback}.
     *
     * @return the voxel-to-world affine
     */
    public Affine affine() {
        if (sformCode > 0) {
            return sform();
        }
        if (qformCode > 0) {
            return qform();
        }
        return baseAffine();
    }

    /** @return "sform", "qform" or "pixdim": which transform {@link #affine()} uses */
    public String affineSource() {
        return sformCode > 0 ? "sform" : qformCode > 0 ? "qform" : "pixdim";
    }

    /** @return the grid of the first three dimensions with the affine in use */
    public VolumeGrid grid() {
        return new VolumeGrid(spatialShape(), affine());
    }

    /** @return the orientation code of the affine in use, e.g. "RAS" or "LAS" */
    public String orientation() {
        return affine().orientation();
    }

    /** @return the spatial unit, as nibabel names it: "unknown", "meter", "mm" or "micron" */
    public String spaceUnit() {
        int code = xyztUnits & 0x07;
        return code < SPACE_UNITS.length ? SPACE_UNITS[code] : "unknown";
    }

    /** @return the time unit: "unknown", "sec", "msec", "usec", "hz", "ppm" or "rads" */
    public String timeUnit() {
        int code = (xyztUnits & 0x38) >> 3;
        return code < TIME_UNITS.length ? TIME_UNITS[code] : "unknown";
    }

    @Override
    public String toString() {
        return "NIfTI-" + version + " " + dataType().numpyName() + " " + Arrays.toString(shape()) + " "
                + (byteOrder == ByteOrder.BIG_ENDIAN ? "big" : "little") + "-endian";
    }
}
