package dev.keel.datasets.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.datasets.DataException;
import dev.keel.datasets.IdxFiles;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxArrayTest {
    private static final int[] DIMS = {3, 2, 4};
    private static final byte[] DATA = IdxFiles.ramp(24, 240);

    @TempDir
    Path dir;

    @Test
    void readsPlainFile() {
        IdxArray array = IdxArray.read(IdxFiles.writeIdx(dir.resolve("images"), DIMS, DATA));

        assertArrayEquals(DIMS, array.dims());
        assertArrayEquals(DATA, array.data());
        assertEquals(dir.resolve("images").toString(), array.source());
    }

    @Test
    void aHeaderThatDeclaresFarMoreThanTheFileHoldsIsRejectedWithoutAllocatingIt() {
        // 2,000,000,000 declared values, 24 present: the old reader allocated the whole array first.
        int[] dims = {20_000_000, 10, 10};
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        DataException e = assertThrows(DataException.class,
                () -> IdxArray.read(IdxFiles.writeIdx(dir.resolve("liar"), dims, DATA)));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("the file holds 24"), e.getMessage());
        assertTrue(allocated < 64L << 20, "allocated " + allocated + " bytes for a file of 40");
    }

    @Test
    void gzippedAndPlainFilesReadTheSame() {
        IdxArray plain = IdxArray.read(IdxFiles.writeIdx(dir.resolve("plain"), DIMS, DATA));
        IdxArray gzipped = IdxArray.read(IdxFiles.writeGzipIdx(dir.resolve("gzipped.gz"), DIMS, DATA));

        assertArrayEquals(plain.dims(), gzipped.dims());
        assertArrayEquals(plain.data(), gzipped.data());
    }

    @Test
    void recognisesGzipByContentNotName() {
        IdxArray array = IdxArray.read(IdxFiles.writeGzipIdx(dir.resolve("no-extension"), DIMS, DATA));

        assertArrayEquals(DATA, array.data());
    }

    @Test
    void readsFromStream() {
        IdxArray array = IdxArray.read(new ByteArrayInputStream(IdxFiles.gzip(IdxFiles.idx(DIMS, DATA))), "stream");

        assertEquals("stream", array.source());
        assertArrayEquals(DATA, array.data());
    }

    @Test
    void countIsFirstDimensionAndItemSizeIsProductOfTheRest() {
        IdxArray images = IdxArray.read(IdxFiles.writeIdx(dir.resolve("images"), DIMS, DATA));
        IdxArray labels = IdxArray.read(IdxFiles.writeIdx(dir.resolve("labels"), new int[] {5}, new byte[5]));

        assertEquals(3, images.count());
        assertEquals(8, images.itemSize());
        assertEquals(5, labels.count());
        assertEquals(1, labels.itemSize());
    }

    @Test
    void readsEmptyArray() {
        IdxArray array = IdxArray.read(IdxFiles.writeIdx(dir.resolve("empty-array"), new int[] {0, 28, 28}, new byte[0]));

        assertEquals(0, array.count());
        assertEquals(0, array.data().length);
    }

    @Test
    void missingFile() {
        assertFails(dir.resolve("absent"), "file not found");
    }

    @Test
    void folderInsteadOfFile() {
        assertFails(dir, "file not found");
    }

    @Test
    void emptyFile() {
        assertFails(IdxFiles.write(dir.resolve("empty"), new byte[0]), "truncated");
    }

    @Test
    void truncatedHeader() {
        byte[] whole = IdxFiles.idx(DIMS, DATA);
        assertFails(IdxFiles.write(dir.resolve("short-header"), Arrays.copyOf(whole, 9)), "truncated");
    }

    @Test
    void truncatedData() {
        byte[] whole = IdxFiles.idx(DIMS, DATA);
        assertFails(IdxFiles.write(dir.resolve("short-data"), Arrays.copyOf(whole, whole.length - 1)), "truncated");
    }

    @Test
    void truncatedGzipData() {
        byte[] whole = IdxFiles.gzip(IdxFiles.idx(new int[] {100, 10, 10}, IdxFiles.ramp(10_000, 0)));
        Path file = IdxFiles.write(dir.resolve("half.gz"), Arrays.copyOf(whole, whole.length / 2));

        assertFails(file, "truncated");
    }

    @Test
    void gzipOfTruncatedData() {
        byte[] whole = IdxFiles.idx(DIMS, DATA);
        Path file = IdxFiles.write(dir.resolve("short.gz"), IdxFiles.gzip(Arrays.copyOf(whole, whole.length - 5)));

        assertFails(file, "truncated");
    }

    @Test
    void gzipWithoutTrailer() {
        byte[] whole = IdxFiles.gzip(IdxFiles.idx(DIMS, DATA));
        Path file = IdxFiles.write(dir.resolve("no-trailer.gz"), Arrays.copyOf(whole, whole.length - 8));

        assertFails(file, "truncated");
    }

    @Test
    void wrongMagic() {
        Path file = IdxFiles.write(dir.resolve("magic"), IdxFiles.idx(0x1234, IdxFiles.UNSIGNED_BYTE, DIMS, DATA));

        assertFails(file, "not an IDX file");
    }

    @Test
    void unsupportedType() {
        Path file = IdxFiles.write(dir.resolve("floats"), IdxFiles.idx(0, 0x0D, DIMS, new byte[24 * 4]));

        assertFails(file, "type 0x0d is not supported");
    }

    @Test
    void zeroDimensions() {
        Path file = IdxFiles.write(dir.resolve("scalar"), IdxFiles.idx(new int[0], new byte[0]));

        assertFails(file, "declares 0 dimensions");
    }

    @Test
    void tooManyDimensions() {
        Path file = IdxFiles.write(dir.resolve("five-d"), IdxFiles.idx(new int[] {1, 1, 1, 1, 1}, new byte[1]));

        assertFails(file, "declares 5 dimensions");
    }

    @Test
    void negativeDimension() {
        Path file = IdxFiles.write(dir.resolve("negative"), IdxFiles.idx(new int[] {2, -1}, new byte[0]));

        assertFails(file, "dimension 1 is negative");
    }

    @Test
    void tooLargeForOneArray() {
        Path file = IdxFiles.write(dir.resolve("huge"), IdxFiles.idx(new int[] {65_536, 65_536}, new byte[0]));

        assertFails(file, "too large");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void trailingBytes(boolean gzipped) {
        byte[] whole = IdxFiles.idx(DIMS, DATA);
        byte[] padded = Arrays.copyOf(whole, whole.length + 3);
        Path file = IdxFiles.write(dir.resolve("trailing"), gzipped ? IdxFiles.gzip(padded) : padded);

        assertFails(file, "has bytes after the 24 values");
    }

    @Test
    void corruptGzipBody() {
        byte[] bytes = IdxFiles.gzip(IdxFiles.idx(DIMS, DATA));
        Arrays.fill(bytes, 10, bytes.length - 8, (byte) 0xff);

        assertFails(IdxFiles.write(dir.resolve("corrupt.gz"), bytes), "corrupt gzip");
    }

    @Test
    void corruptGzipChecksum() {
        byte[] bytes = IdxFiles.gzip(IdxFiles.idx(DIMS, DATA));
        bytes[bytes.length - 8] ^= 0x01;

        assertFails(IdxFiles.write(dir.resolve("bad-crc.gz"), bytes), "corrupt gzip");
    }

    private static void assertFails(Path file, String expected) {
        DataException e = assertThrows(DataException.class, () -> IdxArray.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), () -> "message does not name the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
