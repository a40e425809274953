package dev.keel.datasets.idx;

import dev.keel.datasets.DataException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An array of unsigned bytes read from an IDX file, the format of MNIST and Fashion-MNIST.
 *
 * <p>IDX is a big-endian header (two zero bytes, a type code, the number of dimensions, then one
 * 32-bit size per dimension) followed by the values in row-major order. Only the unsigned-byte
 * type ({@code 0x08}) is accepted, which is what image and label files use. Files compressed with
 * gzip are recognised by their magic number, whatever their name.
 *
 * @param source where the array was read from, for messages
 * @param dims the size of each dimension
 * @param data the values, row-major, {@code product(dims)} bytes
 */
public record IdxArray(String source, int[] dims, byte[] data) {
    private static final int UNSIGNED_BYTE = 0x08;
    private static final int MAX_DIMS = 4;

    /** The number of items: the size of the first dimension. */
    public int count() {
        return dims[0];
    }

    /** The number of values per item: the product of all dimensions but the first. */
    public int itemSize() {
        int size = 1;
        for (int i = 1; i < dims.length; i++) {
            size *= dims[i];
        }
        return size;
    }

    /**
     * Reads an IDX file, gzipped or not.
     *
     * @throws DataException naming the file when it is missing, truncated or not IDX
     */
    public static IdxArray read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataException(file + ": file not found (expected an IDX file)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), Extent.of(file));
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": file not found (expected an IDX file)", e);
        } catch (IOException e) {
            throw new DataException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an IDX array from a stream, gzipped or not.
     *
     * @param source the name used in messages
     * @throws DataException naming the source when the data is truncated or not IDX
     */
    public static IdxArray read(InputStream raw, String source) {
        return read(raw, source, Extent.UNKNOWN);
    }

    /**
     * What a file's size says about its content before it is read.
     *
     * @param plainSize the size of an uncompressed file, or -1
     * @param inflatedSize what a gzip file's trailer records as its uncompressed size (modulo 2^32,
     *     and of its last member only: a hint, not a limit), or -1
     */
    private record Extent(long plainSize, long inflatedSize) {
        static final Extent UNKNOWN = new Extent(-1, -1);

        static Extent of(Path file) throws IOException {
            long size = Files.size(file);
            try (FileChannel channel = FileChannel.open(file)) {
                ByteBuffer head = ByteBuffer.allocate(2);
                channel.read(head, 0);
                boolean gzip = head.position() == 2 && (head.get(0) & 0xff) == 0x1f && (head.get(1) & 0xff) == 0x8b;
                if (!gzip) {
                    return new Extent(size, -1);
                }
                if (size < 18) {
                    return UNKNOWN;
                }
                ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
                channel.read(trailer, size - 4);
                return new Extent(-1, Integer.toUnsignedLong(trailer.getInt(0)));
            }
        }
    }

    /**
     * A header that declares more values than {@code extent} allows is rejected before anything is
     * allocated; the values go straight into one array of the declared size when the extent says
     * they can be there, and are read in chunks otherwise.
     */
    private static IdxArray read(InputStream raw, String source, Extent extent) {
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(buffered, 1 << 16) : buffered;
            boolean gzip = in != buffered;
            return parse(new DataInputStream(in), source, gzip ? -1 : extent.plainSize(),
                    gzip ? extent.inflatedSize() : -1);
        } catch (EOFException e) {
            throw new DataException(source + ": truncated (the file ends before the data its header announces)", e);
        } catch (ZipException e) {
            throw new DataException(source + ": corrupt gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("end of ZLIB input stream")) {
                throw new DataException(source + ": truncated (the gzip stream ends early)", e);
            }
            throw new DataException(source + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * @param plainBound the size of an uncompressed file, or -1
     * @param gzipBound what a gzip file's trailer says it inflates to (modulo 2^32, and of its last
     *     member only, so a hint rather than a limit), or -1
     */
    private static IdxArray parse(DataInputStream in, String source, long plainBound, long gzipBound)
            throws IOException {
        int zero = in.readUnsignedShort();
        int type = in.readUnsignedByte();
        int ndims = in.readUnsignedByte();
        if (zero != 0) {
            throw new DataException(source + ": not an IDX file (the first two bytes must be zero)");
        }
        if (type != UNSIGNED_BYTE) {
            throw new DataException(String.format(
                    "%s: IDX type 0x%02x is not supported (expected 0x08, unsigned bytes)", source, type));
        }
        if (ndims < 1 || ndims > MAX_DIMS) {
            throw new DataException(source + ": IDX header declares " + ndims
                    + " dimensions (expected 1 to " + MAX_DIMS + ")");
        }
        int[] dims = new int[ndims];
        long total = 1;
        for (int i = 0; i < ndims; i++) {
            dims[i] = in.readInt();
            if (dims[i] < 0) {
                throw new DataException(source + ": IDX dimension " + i + " is negative");
            }
            total *= dims[i];
            if (total > Integer.MAX_VALUE - 8) {
                throw new DataException(source + ": too large: the IDX header declares more than " + (Integer.MAX_VALUE - 8)
                        + " values " + Arrays.toString(Arrays.copyOf(dims, i + 1)) + "; the header is corrupt");
            }
        }
        long header = 4 + 4L * ndims;
        if (plainBound >= 0 && header + total > plainBound) {
            throw new DataException(source + ": truncated (the header " + Arrays.toString(dims) + " announces "
                    + total + " values, the file holds " + (plainBound - header) + ")");
        }
        byte[] data;
        if (plainBound >= 0 || (gzipBound >= 0 && header + total <= gzipBound)) {
            data = new byte[(int) total];
            in.readFully(data);
        } else {
            // Size unknown: read in chunks, so that a corrupt header declaring gigabytes costs
            // only what the file holds before it runs out.
            data = in.readNBytes((int) total);
        }
        if (data.length < total) {
            throw new DataException(source + ": truncated (the header " + Arrays.toString(dims) + " announces "
                    + total + " values, the file holds " + data.length + ")");
        }
        if (in.read() != -1) {
            throw new DataException(source + ": has bytes after the " + total
                    + " values its header announces (header " + Arrays.toString(dims) + ")");
        }
        return new IdxArray(source, dims, data);
    }
}
