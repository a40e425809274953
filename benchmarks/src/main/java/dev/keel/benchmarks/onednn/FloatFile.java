package dev.keel.benchmarks.onednn;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file of float32 arrays written one after the other without framing: the reader knows each
 * array's length from the shapes, in the order they were written. How a child JVM hands its
 * outputs to the parent.
 */
final class FloatFile implements AutoCloseable {
    private final FileChannel channel;

    private FloatFile(FileChannel channel) {
        this.channel = channel;
    }

    static FloatFile create(Path file) throws IOException {
        return new FloatFile(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE));
    }

    static FloatFile open(Path file) throws IOException {
        return new FloatFile(FileChannel.open(file, StandardOpenOption.READ));
    }

    void write(float[] values) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    float[] read(int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        while (bytes.hasRemaining()) {
            if (channel.read(bytes) < 0) {
                throw new EOFException("the file ends before the " + length + " floats expected");
            }
        }
        float[] values = new float[length];
        bytes.flip().asFloatBuffer().get(values);
        return values;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
