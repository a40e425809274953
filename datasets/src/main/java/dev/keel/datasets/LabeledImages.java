package dev.keel.datasets;

import dev.keel.datasets.fingerprint.ImageFingerprint;
import dev.keel.datasets.idx.IdxArray;

/**
 * Images and their class labels held in memory as unsigned bytes, one item after the other in
 * channel, row, column order.
 *
 * @param source where the images came from, for messages
 * @param pixels {@code count * channels * height * width} bytes
 * @param labels one class index per image, {@code 0 <= label < numClasses}
 * @param channels channels per image
 * @param height image height in pixels
 * @param width image width in pixels
 * @param numClasses the number of classes
 */
public record LabeledImages(
        String source, byte[] pixels, byte[] labels, int channels, int height, int width, int numClasses) {

    public LabeledImages {
        long expected = Math.multiplyExact(Math.multiplyExact((long) labels.length, (long) channels),
                Math.multiplyExact((long) height, (long) width));
        if (pixels.length != expected) {
            throw new DataException(source + ": " + pixels.length + " pixel bytes for " + labels.length
                    + " images of " + channels + "x" + height + "x" + width + " (expected " + expected + ")");
        }
        checkLabels(source, labels, numClasses);
    }

    private static void checkLabels(String source, byte[] labels, int numClasses) {
        for (int i = 0; i < labels.length; i++) {
            int label = Byte.toUnsignedInt(labels[i]);
            if (label >= numClasses) {
                throw new DataException(source + ": label " + label + " of item " + i
                        + " is out of range (expected 0 to " + (numClasses - 1) + ")");
            }
        }
    }

    /**
     * Pairs an IDX image file ({@code [count, rows, cols]}) with an IDX label file ({@code [count]}).
     *
     * @throws DataException naming the files when their shapes or counts disagree
     */
    public static LabeledImages fromIdx(IdxArray images, IdxArray labels, int numClasses) {
        if (images.dims().length != 3) {
            throw new DataException(images.source() + ": expected an image file of 3 dimensions"
                    + " [count, rows, columns], found " + images.dims().length);
        }
        if (labels.dims().length != 1) {
            throw new DataException(labels.source() + ": expected a label file of 1 dimension [count], found "
                    + labels.dims().length);
        }
        if (images.count() != labels.count()) {
            throw new DataException(images.source() + " holds " + images.count() + " images but "
                    + labels.source() + " holds " + labels.count() + " labels");
        }
        if (images.count() == 0) {
            throw new DataException(images.source() + ": holds no images (its IDX header declares a count of 0;"
                    + " expected at least one)");
        }
        checkLabels(labels.source(), labels.data(), numClasses);
        return new LabeledImages(images.source(), images.data(), labels.data(), 1,
                images.dims()[1], images.dims()[2], numClasses);
    }

    /** The number of images. */
    public int count() {
        return labels.length;
    }

    /** Bytes per image: channels times height times width. */
    public int imageSize() {
        return channels * height * width;
    }

    /** The class index of image {@code i}. */
    public int label(int i) {
        return Byte.toUnsignedInt(labels[i]);
    }

    /**
     * A SHA-256 over shape, pixels and labels ({@link ImageFingerprint}): the same data gives the
     * same fingerprint wherever it lives.
     */
    public String fingerprint() {
        ImageFingerprint fingerprint = new ImageFingerprint(channels, height, width, numClasses);
        fingerprint.addPixels(pixels);
        return fingerprint.finish(labels);
    }
}
