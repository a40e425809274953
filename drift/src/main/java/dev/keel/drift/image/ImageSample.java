package dev.keel.drift.image;

import dev.keel.serving.image.Normalization;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One side of an image comparison, read in one pass over its images: per-channel sums for the
 * pixel statistics and each image's mean brightness (of every image), and the model-ready inputs
 * of a seeded subsample (for the embeddings). Only the subsample's inputs are kept, so any number
 * of images streams through in bounded memory.
 */
public final class ImageSample {
    private final int channels;
    private final int plane;
    private final Normalization normalization;
    private final boolean[] chosen;
    private final double[] sum;
    private final double[] sumSquares;
    private final double[] brightness;
    private final List<float[]> inputs = new ArrayList<>();
    private final List<Integer> inputItems = new ArrayList<>();
    private final Map<String, Integer> originalSizes = new LinkedHashMap<>();
    private int resized;
    private int added;

    /**
     * A sample of {@code count} images of {@code channels} planes of {@code plane} pixels, keeping
     * the inputs of {@code min(sampleSize, count)} of them, chosen by {@code seed}.
     */
    public ImageSample(int count, int channels, int plane, Normalization normalization, int sampleSize, long seed) {
        this.channels = channels;
        this.plane = plane;
        this.normalization = normalization;
        this.chosen = choose(count, sampleSize, seed);
        this.sum = new double[channels];
        this.sumSquares = new double[channels];
        this.brightness = new double[count];
    }

    /** The {@code min(size, count)} items of {@code 0..count-1} a seeded permutation puts first. */
    static boolean[] choose(int count, int size, long seed) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] chosen = new boolean[count];
        for (int i = 0; i < Math.min(size, count); i++) {
            int j = i + random.nextInt(count - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            chosen[order[i]] = true;
        }
        return chosen;
    }

    /**
     * Adds item {@code item}: {@code pixels} holds its values in [0, 255], channel after channel,
     * at the model's size (it is not kept).
     */
    public void add(int item, float[] pixels) {
        double total = 0;
        for (int c = 0; c < channels; c++) {
            double s = 0;
            double ss = 0;
            for (int p = c * plane, end = p + plane; p < end; p++) {
                double v = pixels[p] / 255.0;
                s += v;
                ss += v * v;
            }
            sum[c] += s;
            sumSquares[c] += ss;
            total += s;
        }
        brightness[item] = total / ((double) channels * plane);
        if (chosen[item]) {
            float[] input = pixels.clone();
            normalization.applyInPlace(input, 0, plane);
            inputs.add(input);
            inputItems.add(item);
        }
        added++;
    }

    /** Records an image's size in its file, and whether it was resized to the model's. */
    public void addOriginalSize(int width, int height, boolean resizedToModel) {
        originalSizes.merge(width + "x" + height, 1, Integer::sum);
        if (resizedToModel) {
            resized++;
        }
    }

    /** Images added. */
    public int count() {
        return added;
    }

    /** Mean pixel value of channel {@code c}, in [0, 1]. */
    public double mean(int c) {
        return sum[c] / ((double) added * plane);
    }

    /** Standard deviation of the pixel values of channel {@code c}, in [0, 1]. */
    public double std(int c) {
        double mean = mean(c);
        return Math.sqrt(Math.max(0, sumSquares[c] / ((double) added * plane) - mean * mean));
    }

    /** Each image's mean pixel value over all its channels, in [0, 1]. */
    public double[] brightness() {
        return Arrays.copyOf(brightness, added);
    }

    /** The subsample's model-ready inputs, in item order. */
    public List<float[]> inputs() {
        return inputs;
    }

    /** How many images of each original size ({@code WxH}) were added; empty when sizes were not recorded. */
    public Map<String, Integer> originalSizes() {
        return originalSizes;
    }

    /** Images whose file was not at the model's size and channels, and were squished and converted to them. */
    public int resized() {
        return resized;
    }

    public int channels() {
        return channels;
    }
}
