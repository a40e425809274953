package dev.keel.datasets;

import dev.keel.serving.image.Normalization;

/** The normalisation statistics of a training split: what {@code normalize: auto} uses. */
public final class ImageStatistics {
    private ImageStatistics() {}

    /** The statistics of the given items, on the training split only. */
    public static Normalization fit(LabeledImages images, int[] items) {
        if (items.length == 0) {
            throw new IllegalArgumentException(images.source() + ": no items to compute normalization statistics from");
        }
        int channels = images.channels();
        int plane = images.height() * images.width();
        double[] sum = new double[channels];
        double[] sumSquares = new double[channels];
        byte[] pixels = images.pixels();
        for (int item : items) {
            int base = item * images.imageSize();
            for (int c = 0; c < channels; c++) {
                long s = 0;
                long ss = 0;
                for (int p = base + c * plane, end = p + plane; p < end; p++) {
                    int v = pixels[p] & 0xff;
                    s += v;
                    ss += (long) v * v;
                }
                sum[c] += s;
                sumSquares[c] += ss;
            }
        }
        return Normalization.fromTotals(sum, sumSquares, (double) items.length * plane);
    }
}
