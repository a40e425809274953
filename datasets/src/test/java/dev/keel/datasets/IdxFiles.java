package dev.keel.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
public final class IdxFiles {
    public static final int UNSIGNED_BYTE = 0x08;

    private IdxFiles() {}

    /** The bytes of an unsigned-byte IDX file: header then data. */
    public static byte[] idx(int[] dims, byte[] data) {
        return idx(0, UNSIGNED_BYTE, dims, data);
    }

    /** The bytes of an IDX file with the given leading short and type code, for malformed headers. */
    public static byte[] idx(int magic, int type, int[] dims, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        buffer.putShort((short) magic).put((byte) type).put((byte) dims.length);
        for (int dim : dims) {
            buffer.putInt(dim);
        }
        return buffer.put(data).array();
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path writeIdx(Path file, int[] dims, byte[] data) {
        return write(file, idx(dims, data));
    }

    public static Path writeGzipIdx(Path file, int[] dims, byte[] data) {
        return write(file, gzip(idx(dims, data)));
    }

    /** {@code count} bytes counting up from {@code start}, wrapping at 256. */
    public static byte[] ramp(int count, int start) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) (start + i);
        }
        return bytes;
    }

    /** {@code count} labels cycling through {@code 0..classes-1}. */
    public static byte[] labels(int count, int classes) {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % classes);
        }
        return labels;
    }

    /**
     * Writes the four files of an MNIST-style folder: {@code trainCount} and {@code testCount} images
     * of {@code rows x cols} pixels with labels cycling through {@code 0..classes-1}.
     */
    public static Path writeDataset(Path folder, int trainCount, int testCount, int rows, int cols, int classes,
            boolean gzipped) {
        writeSplit(folder, "train", trainCount, rows, cols, classes, gzipped);
        writeSplit(folder, "t10k", testCount, rows, cols, classes, gzipped);
        return folder;
    }

    private static void writeSplit(Path folder, String split, int count, int rows, int cols, int classes,
            boolean gzipped) {
        String suffix = gzipped ? ".gz" : "";
        byte[] images = idx(new int[] {count, rows, cols}, ramp(count * rows * cols, split.length()));
        byte[] labels = idx(new int[] {count}, labels(count, classes));
        write(folder.resolve(split + "-images-idx3-ubyte" + suffix), gzipped ? gzip(images) : images);
        write(folder.resolve(split + "-labels-idx1-ubyte" + suffix), gzipped ? gzip(labels) : labels);
    }

    /** Small in-memory images: {@code count} images of one channel, labels cycling through the classes. */
    public static LabeledImages images(int count, int rows, int cols, int classes) {
        return new LabeledImages("memory", ramp(count * rows * cols, 0), labels(count, classes), 1, rows, cols,
                classes);
    }
}
