package org.brainalign.io.subject;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.brainalign.io.InputFile;
import org.brainalign.io.DataFormatException;

/**
 * A FreeSurfer surface is a triangle mesh in FreeSurfer's binary format (lh.sphere, rh.white, ...): the magic bytes
 * FF FF FE, a "created by" text line ended by two newlines, the vertex and face counts (big-endian int32), the vertex
 * coordinates (big-endian float32 x, y, z) and the faces. Only the vertex coordinates are kept.
 */
public final class FreeSurferSurface {

    private final double[][] vertices;
    private final int faceCount;

    private FreeSurferSurface(double[][] vertices, int faceCount) {
        this.vertices = vertices;
        this.faceCount = faceCount;
    }

    /**
     * Reads a triangle surface file.
     *
     * @param file the surface file, e.g. fsaverage/surf/lh.sphere
     * @return the surface
     * @throws DataFormatException if it is not a FreeSurfer triangle surface or is truncated
     * @throws IOException if it cannot be read
     */
    public static FreeSurferSurface read(Path file) throws IOException {
        InputFile.check(file);
        long length = Files.size(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                DataInputStream in = new DataInputStream(raw)) {
            int m0 = in.readUnsignedByte();
            int m1 = in.readUnsignedByte();
            int m2 = in.readUnsignedByte();
            if (m0 != 0xFF || m1 != 0xFF || m2 != 0xFE) {
                String what = m0 == 0xFF && m1 == 0xFF && (m2 == 0xFF || m2 == 0xFD)
                        ? "a quad surface"
                        : "not a FreeSurfer surface";
                throw DataFormatException.of(file, "is " + what + " (magic " + String.format("%02X %02X %02X", m0, m1,
                        m2) + "), but a triangle surface (FF FF FE) is needed");
            }
            long pos = 3;
            // the "created by ..." line, then one more newline
            int newlines = 0;
            while (newlines < 2) {
                int c = in.read();
                pos++;
                if (c < 0 || pos > 4096) {
                    throw DataFormatException.of(file, "has no end to its comment line");
                }
                newlines = c == '\n' ? newlines + 1 : 0;
            }
            int nv = in.readInt();
            int nf = in.readInt();
            pos += 8;
            if (nv < 0 || nf < 0 || pos + 12L * nv + 12L * nf > length) {
                throw DataFormatException.of(file, "announces " + nv + " vertices and " + nf + " faces, which do not"
                        + " fit in its " + length + " bytes");
            }
            double[][] v = new double[nv][3];
            for (int i = 0; i < nv; i++) {
                v[i][0] = in.readFloat();
                v[i][1] = in.readFloat();
                v[i][2] = in.readFloat();
            }
            return new FreeSurferSurface(v, nf);
        } catch (EOFException e) {
            throw DataFormatException.of(file, "is truncated", e);
        }
    }

    /** @return the number of vertices */
    public int vertexCount() {
        return vertices.length;
    }

    /** @return the number of triangles */
    public int faceCount() {
        return faceCount;
    }

    /**
     * @param vertex a vertex number
     * @return its (x, y, z) in mm (a copy)
     */
    public double[] vertex(int vertex) {
        return vertices[vertex].clone();
    }
}
