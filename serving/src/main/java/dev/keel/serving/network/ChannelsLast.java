package dev.keel.serving.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * Image batches in channels-last memory order: the same (batch, channels, height, width) array,
 * stored pixel by pixel with each pixel's channels side by side. Handed such an input, libtorch
 * runs the whole convolutional network in that order (oneDNN's NHWC convolutions, and batch norm,
 * ReLU and max pooling kernels vectorised over channels), which trains the quickstart's network a
 * fifth faster on a CPU. DJL cannot ask for a memory format, so the order is made with views:
 * {@code reshape(n, h, w, c)} of the pixel-major data, transposed back to (n, c, h, w).
 */
public final class ChannelsLast {
    /**
     * The system property that turns channels-last on for the networks of this process ({@code
     * true}); off by default. Keel's commands set it when the per-CPU check found the model's
     * convolutions correct in this order, as oneDNN's cap is one setting per process too.
     */
    public static final String PROPERTY = "keel.channels_last";

    private ChannelsLast() {}

    /** Whether the networks of this process store their input channels-last. */
    public static boolean enabled() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Turns channels-last on or off for the networks of this process. */
    public static void setEnabled(boolean enabled) {
        System.setProperty(PROPERTY, Boolean.toString(enabled));
    }

    /**
     * {@code inputs} with every image batch (a 4-D floating-point array) in channels-last order: a
     * new list of new arrays, or {@code inputs} itself when it holds no image batch.
     */
    public static NDList of(NDList inputs) {
        if (inputs.stream().noneMatch(ChannelsLast::isImageBatch)) {
            return inputs;
        }
        NDList ordered = new NDList(inputs.size());
        for (NDArray input : inputs) {
            ordered.add(isImageBatch(input) ? of(input) : input);
        }
        return ordered;
    }

    /**
     * The same values as {@code images} (n, c, h, w), stored channels-last. A single channel is
     * both orders at once: two views, no copy. Otherwise one copy, or none when {@code images} is
     * already channels-last. Every intermediate view is closed; the result is in {@code images}'s
     * manager.
     */
    public static NDArray of(NDArray images) {
        Shape shape = images.getShape();
        long n = shape.get(0);
        long c = shape.get(1);
        long h = shape.get(2);
        long w = shape.get(3);
        if (c == 1) {
            try (NDArray pixels = images.reshape(n, h, w, 1)) {
                return pixels.transpose(0, 3, 1, 2);
            }
        }
        try (NDArray pixelMajor = images.transpose(0, 2, 3, 1);
                NDArray flat = pixelMajor.reshape(n, h * w * c); // copies unless already pixel-major
                NDArray pixels = flat.reshape(n, h, w, c)) {
            return pixels.transpose(0, 3, 1, 2);
        }
    }

    private static boolean isImageBatch(NDArray array) {
        return array.getShape().dimension() == 4 && array.getDataType().isFloating();
    }
}
