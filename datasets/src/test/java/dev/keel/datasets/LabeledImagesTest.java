package dev.keel.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.datasets.idx.IdxArray;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabeledImagesTest {
    @TempDir
    Path dir;

    @Test
    void pairsImageAndLabelFiles() {
        byte[] pixels = IdxFiles.ramp(3 * 2 * 4, 250);
        LabeledImages images = LabeledImages.fromIdx(
                read("images", new int[] {3, 2, 4}, pixels),
                read("labels", new int[] {3}, new byte[] {7, 0, 9}),
                10);

        assertEquals(3, images.count());
        assertEquals(1, images.channels());
        assertEquals(2, images.height());
        assertEquals(4, images.width());
        assertEquals(8, images.imageSize());
        assertEquals(10, images.numClasses());
        assertArrayEquals(pixels, images.pixels());
        assertEquals(7, images.label(0));
        assertEquals(9, images.label(2));
        assertEquals(dir.resolve("images").toString(), images.source());
    }

    @Test
    void labelsAreUnsigned() {
        LabeledImages images = LabeledImages.fromIdx(
                read("images", new int[] {1, 1, 1}, new byte[1]),
                read("labels", new int[] {1}, new byte[] {(byte) 200}),
                256);

        assertEquals(200, images.label(0));
    }

    @Test
    void rejectsCountMismatch() {
        IdxArray images = read("images", new int[] {3, 2, 2}, new byte[12]);
        IdxArray labels = read("labels", new int[] {2}, new byte[2]);

        DataException e = assertThrows(DataException.class, () -> LabeledImages.fromIdx(images, labels, 10));

        assertContains(e, images.source() + " holds 3 images");
        assertContains(e, labels.source() + " holds 2 labels");
    }

    @Test
    void rejectsImageFileWithoutThreeDimensions() {
        IdxArray images = read("images", new int[] {3, 4}, new byte[12]);
        IdxArray labels = read("labels", new int[] {3}, new byte[3]);

        DataException e = assertThrows(DataException.class, () -> LabeledImages.fromIdx(images, labels, 10));

        assertContains(e, images.source());
        assertContains(e, "3 dimensions");
        assertContains(e, "found 2");
    }

    @Test
    void rejectsLabelFileWithoutOneDimension() {
        IdxArray images = read("images", new int[] {3, 2, 2}, new byte[12]);
        IdxArray labels = read("labels", new int[] {3, 1}, new byte[3]);

        DataException e = assertThrows(DataException.class, () -> LabeledImages.fromIdx(images, labels, 10));

        assertContains(e, labels.source());
        assertContains(e, "1 dimension");
        assertContains(e, "found 2");
    }

    @Test
    void rejectsLabelOutOfRange() {
        IdxArray images = read("images", new int[] {3, 2, 2}, new byte[12]);
        IdxArray labels = read("labels", new int[] {3}, new byte[] {1, 10, 2});

        DataException e = assertThrows(DataException.class, () -> LabeledImages.fromIdx(images, labels, 10));

        assertContains(e, dir.toString());
        assertContains(e, "label 10 of item 1 is out of range");
        assertContains(e, "expected 0 to 9");
    }

    @Test
    void rejectsPixelCountThatDoesNotMatchShape() {
        DataException e = assertThrows(DataException.class,
                () -> new LabeledImages("memory", new byte[11], new byte[3], 1, 2, 2, 10));

        assertContains(e, "memory");
        assertContains(e, "expected 12");
    }

    @Test
    void fingerprintDependsOnContentNotLocation() {
        byte[] pixels = IdxFiles.ramp(12, 0);
        byte[] labels = {0, 1, 2};
        LabeledImages plain = LabeledImages.fromIdx(
                read("a/images", new int[] {3, 2, 2}, pixels), read("a/labels", new int[] {3}, labels), 10);
        LabeledImages gzipped = LabeledImages.fromIdx(
                IdxArray.read(IdxFiles.writeGzipIdx(dir.resolve("b/images.gz"), new int[] {3, 2, 2}, pixels)),
                IdxArray.read(IdxFiles.writeGzipIdx(dir.resolve("b/labels.gz"), new int[] {3}, labels)),
                10);

        assertEquals(plain.fingerprint(), gzipped.fingerprint());
        // SHA-256 of "1x2x2/10", the pixels and the labels (sha256sum gives the same): runs record it,
        // so the same data must keep its fingerprint from one version to the next.
        assertEquals("ba24529983786f6b9a7cae699fb53c4200cca2353ec72279e863b9a7617cdf78", plain.fingerprint());
    }

    @Test
    void fingerprintKeepsTheFormatProvenanceRecords() {
        // SHA-256 of "1x2x2/10", the 12 pixel bytes 0..11, then the labels 0, 1, 2.
        assertEquals("ba24529983786f6b9a7cae699fb53c4200cca2353ec72279e863b9a7617cdf78",
                new LabeledImages("x", IdxFiles.ramp(12, 0), new byte[] {0, 1, 2}, 1, 2, 2, 10).fingerprint());
    }

    @Test
    void fingerprintChangesWithAnyPixelLabelOrShape() {
        byte[] pixels = IdxFiles.ramp(12, 0);
        byte[] labels = {0, 1, 2};
        String original = new LabeledImages("x", pixels, labels, 1, 2, 2, 10).fingerprint();

        byte[] changedPixels = pixels.clone();
        changedPixels[11]++;
        byte[] changedLabels = labels.clone();
        changedLabels[0] = 3;

        assertNotEquals(original, new LabeledImages("x", changedPixels, labels, 1, 2, 2, 10).fingerprint());
        assertNotEquals(original, new LabeledImages("x", pixels, changedLabels, 1, 2, 2, 10).fingerprint());
        assertNotEquals(original, new LabeledImages("x", pixels, labels, 1, 1, 4, 10).fingerprint());
        assertNotEquals(original, new LabeledImages("x", pixels, labels, 1, 2, 2, 11).fingerprint());
    }

    private IdxArray read(String name, int[] dims, byte[] data) {
        return IdxArray.read(IdxFiles.writeIdx(dir.resolve(name), dims, data));
    }

    private static void assertContains(DataException e, String expected) {
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
