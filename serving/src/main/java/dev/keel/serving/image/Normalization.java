package dev.keel.serving.image;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import java.util.Arrays;

/**
 * Per-channel standardisation applied to pixels scaled to [0, 1]: {@code (x / 255 - mean) / std}.
 *
 * @param mean one mean per channel
 * @param std one standard deviation per channel, all positive
 */
public record Normalization(float[] mean, float[] std) {

    public Normalization {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need one value per channel");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + Arrays.toString(std));
            }
        }
    }

    /**
     * Per-channel statistics as saved JSON arrays hold them (keel-model.json's {@code normalize_mean},
     * {@code normalize_std}).
     *
     * @throws IllegalArgumentException when they are not arrays of numbers, one per channel, stds positive
     */
    public static Normalization fromJson(JsonElement means, JsonElement stds) {
        return new Normalization(floats(means), floats(stds));
    }

    private static float[] floats(JsonElement values) {
        if (values == null || !values.isJsonArray()) {
            throw new IllegalArgumentException("expected an array of numbers, found " + values);
        }
        JsonArray array = values.getAsJsonArray();
        float[] floats = new float[array.size()];
        for (int i = 0; i < floats.length; i++) {
            JsonElement value = array.get(i);
            if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
                throw new IllegalArgumentException("expected an array of numbers, found " + values);
            }
            floats[i] = (float) value.getAsDouble();
        }
        return floats;
    }

    /** Pixels scaled to [0, 1] and left there. */
    public static Normalization none(int channels) {
        float[] mean = new float[channels];
        float[] std = new float[channels];
        Arrays.fill(std, 1f);
        return new Normalization(mean, std);
    }

    /** The same mean and standard deviation for every channel. */
    public static Normalization of(int channels, float mean, float std) {
        float[] means = new float[channels];
        float[] stds = new float[channels];
        Arrays.fill(means, mean);
        Arrays.fill(stds, std);
        return new Normalization(means, stds);
    }

    /**
     * Statistics from per-image sums: {@code sums[item]} holds each channel's sum of pixel values,
     * then each channel's sum of squares, over {@code plane} pixels per channel.
     */
    public static Normalization fromSums(int channels, int plane, double[][] sums, int[] items) {
        if (items.length == 0) {
            throw new IllegalArgumentException("no items to compute normalization statistics from");
        }
        double[] sum = new double[channels];
        double[] sumSquares = new double[channels];
        for (int item : items) {
            for (int c = 0; c < channels; c++) {
                sum[c] += sums[item][c];
                sumSquares[c] += sums[item][channels + c];
            }
        }
        return of(sum, sumSquares, (double) items.length * plane);
    }

    /** Per-channel sums and sums of squares of {@code image}'s pixels, as {@link #fromSums} takes them. */
    public static double[] sums(byte[] image, int channels) {
        int plane = image.length / channels;
        double[] sums = new double[2 * channels];
        for (int c = 0; c < channels; c++) {
            long s = 0;
            long ss = 0;
            for (int p = c * plane, end = p + plane; p < end; p++) {
                int v = image[p] & 0xff;
                s += v;
                ss += (long) v * v;
            }
            sums[c] = s;
            sums[channels + c] = ss;
        }
        return sums;
    }

    /**
     * Normalises one image in place: {@code values[offset..]} holds its pixels as floats in [0, 255],
     * channel after channel of {@code plane} pixels each, and becomes (x / 255 - mean) / std.
     */
    public void applyInPlace(float[] values, int offset, int plane) {
        for (int c = 0; c < mean.length; c++) {
            float scale = 1f / (255f * std[c]);
            float shift = -mean[c] / std[c];
            for (int p = offset + c * plane, end = p + plane; p < end; p++) {
                values[p] = values[p] * scale + shift;
            }
        }
    }

    /**
     * Statistics from totals over all pixels of the items they cover.
     *
     * @param sum each channel's sum of pixel values (0 to 255)
     * @param sumSquares each channel's sum of squared pixel values
     * @param n pixels per channel
     */
    public static Normalization fromTotals(double[] sum, double[] sumSquares, double n) {
        return of(sum, sumSquares, n);
    }

    private static Normalization of(double[] sum, double[] sumSquares, double n) {
        int channels = sum.length;
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / n;
            double variance = Math.max(sumSquares[c] / n - m * m, 0);
            mean[c] = (float) (m / 255.0);
            std[c] = (float) Math.max(Math.sqrt(variance) / 255.0, 1e-6);
        }
        return new Normalization(mean, std);
    }
}
