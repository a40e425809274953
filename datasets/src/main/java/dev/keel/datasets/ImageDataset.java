package dev.keel.datasets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;

/**
 * A DJL dataset over some of the items of {@link LabeledImages}: each record is one image as
 * floats of shape (channels, height, width), normalised, and its class index as a float scalar.
 *
 * <p>Besides DJL's record-by-record access, {@link #batch} builds a whole batch with one native
 * copy, which is how Keel's training loop reads it.
 */
public final class ImageDataset extends RandomAccessDataset {
    private final LabeledImages images;
    private final int[] items;
    private final Normalization normalization;

    private ImageDataset(Builder builder) {
        super(builder);
        this.images = builder.images;
        this.items = builder.items;
        this.normalization = builder.normalization;
    }

    /** A builder over the given items of {@code images} (all of them unless {@link Builder#items} says). */
    public static Builder builder(LabeledImages images) {
        return new Builder(images);
    }

    /** The images this dataset reads from. */
    public LabeledImages images() {
        return images;
    }

    /** The normalisation applied to every image. */
    public Normalization normalization() {
        return normalization;
    }

    /** The number of items: the same as {@link #size()}, as an int. */
    public int itemCount() {
        return items.length;
    }

    /** The class index of the item at {@code position}. */
    public int labelAt(int position) {
        return images.label(items[position]);
    }

    @Override
    public Record get(NDManager manager, long index) {
        int position = Math.toIntExact(index);
        float[] pixels = new float[images.imageSize()];
        fill(pixels, 0, items[position]);
        NDArray data = manager.create(pixels, new Shape(images.channels(), images.height(), images.width()));
        NDArray label = manager.create((float) images.label(items[position]));
        return new Record(new NDList(data), new NDList(label));
    }

    /**
     * The items at {@code order[from..to)} as one batch: data of shape (n, channels, height, width)
     * and labels of shape (n), created in {@code manager}.
     */
    public Batch batch(NDManager manager, int[] order, int from, int to) {
        int n = to - from;
        int size = images.imageSize();
        float[] pixels = new float[n * size];
        float[] labels = new float[n];
        for (int i = 0; i < n; i++) {
            int item = items[order[from + i]];
            fill(pixels, i * size, item);
            labels[i] = images.label(item);
        }
        NDArray data = manager.create(pixels, new Shape(n, images.channels(), images.height(), images.width()));
        NDArray label = manager.create(labels, new Shape(n));
        return new Batch(manager, new NDList(data), new NDList(label), n,
                Batchifier.STACK, Batchifier.STACK, from, itemCount());
    }

    private void fill(float[] target, int offset, int item) {
        byte[] pixels = images.pixels();
        int plane = images.height() * images.width();
        int base = item * images.imageSize();
        float[] mean = normalization.mean();
        float[] std = normalization.std();
        for (int c = 0; c < images.channels(); c++) {
            // (x / 255 - mean) / std as one multiply and one add per pixel
            float scale = 1f / (255f * std[c]);
            float shift = -mean[c] / std[c];
            int from = base + c * plane;
            int to = offset + c * plane;
            for (int p = 0; p < plane; p++) {
                target[to + p] = (pixels[from + p] & 0xff) * scale + shift;
            }
        }
    }

    @Override
    protected long availableSize() {
        return items.length;
    }

    @Override
    public void prepare(Progress progress) {
        // Everything is in memory already.
    }

    /** Builds an {@link ImageDataset}; sampling defaults to batches of 32 in order. */
    public static final class Builder extends BaseBuilder<Builder> {
        private final LabeledImages images;
        private int[] items;
        private Normalization normalization;

        private Builder(LabeledImages images) {
            this.images = images;
            this.items = java.util.stream.IntStream.range(0, images.count()).toArray();
            this.normalization = Normalization.none(images.channels());
        }

        /** Restricts the dataset to these item indices, in this order. */
        public Builder items(int[] items) {
            for (int item : items) {
                if (item < 0 || item >= images.count()) {
                    throw new IllegalArgumentException("item " + item + " is outside 0.." + (images.count() - 1));
                }
            }
            this.items = items.clone();
            return this;
        }

        /** The normalisation to apply to every image. */
        public Builder normalization(Normalization normalization) {
            if (normalization.mean().length != images.channels()) {
                throw new IllegalArgumentException("normalization has " + normalization.mean().length
                        + " channels, images have " + images.channels());
            }
            this.normalization = normalization;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** Builds the dataset; sets sequential sampling in batches of 32 when none was set. */
        public ImageDataset build() {
            if (sampler == null) {
                setSampling(32, false);
            }
            return new ImageDataset(this);
        }
    }
}
