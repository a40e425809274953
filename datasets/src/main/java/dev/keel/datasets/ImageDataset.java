package dev.keel.datasets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import dev.keel.datasets.augment.Augmentation;
import dev.keel.serving.image.Normalization;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A DJL dataset over some of the items of {@link LabeledImages}: each record is one image as
 * floats of shape (channels, height, width), normalised, and its class index as a float scalar.
 *
 * <p>Besides DJL's record-by-record access, {@link #batch} builds a whole batch at once, written
 * straight into native memory (a reused {@link BatchBuffer} in Keel's training loop).
 */
public final class ImageDataset extends RandomAccessDataset implements BatchSource {
    private final LabeledImages images;
    private final int[] items;
    private final Normalization normalization;
    private final List<String> classes;
    private final Augmentation augmentation;
    private final long augmentationSeed;
    private final BatchPrefetch prefetch;

    private ImageDataset(Builder builder) {
        super(builder);
        this.images = builder.images;
        this.items = builder.items;
        this.normalization = builder.normalization;
        this.classes = builder.classes;
        this.augmentation = builder.augmentation;
        this.augmentationSeed = builder.augmentationSeed;
        this.prefetch = augmentation == null ? null : new BatchPrefetch();
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
    @Override
    public int itemCount() {
        return items.length;
    }

    @Override
    public Shape itemShape() {
        return new Shape(images.channels(), images.height(), images.width());
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public int labelAt(int position) {
        return images.label(items[position]);
    }

    /**
     * With augmentation, items are augmented in parallel, and the next range of the same order is
     * prepared on a background thread while the caller trains on this one (one batch ahead).
     */
    @Override
    public Batch batch(NDManager manager, int[] order, int from, int to, int epoch, BatchBuffer buffer) {
        if (augmentation == null) {
            return batch(manager, order, from, to, buffer);
        }
        int n = to - from;
        float[] staged = prefetch.take(order, from, to, epoch, this::augmented);
        FloatBuffer pixels = buffer.pixelsForWriting(n);
        FloatBuffer labels = buffer.labels();
        pixels.put(0, staged, 0, n * images.imageSize());
        for (int i = 0; i < n; i++) {
            labels.put(i, labelAt(order[from + i]));
        }
        return buffer.batch(manager, itemShape(), n, from, itemCount());
    }

    /** The items at {@code order[from..to)} augmented for {@code epoch} and normalised, on the common pool. */
    private float[] augmented(int[] order, int from, int to, int epoch) {
        int size = images.imageSize();
        float[] out = new float[(to - from) * size];
        int plane = images.height() * images.width();
        IntStream.range(0, to - from).parallel().forEach(i -> {
            int item = items[order[from + i]];
            int offset = i * size;
            augmentation.apply(images.pixels(), item * size, images.channels(), images.width(), augmentationSeed,
                    epoch, item, out, offset);
            normalization.applyInPlace(out, offset, plane);
        });
        return out;
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
     * and labels of shape (n), created in {@code manager} in memory of their own.
     */
    public Batch batch(NDManager manager, int[] order, int from, int to) {
        return batch(manager, order, from, to, new BatchBuffer(Math.max(1, to - from), images.imageSize()));
    }

    /**
     * The items at {@code order[from..to)} as one batch, written into {@code buffer}: on the CPU
     * the batch's arrays are views of the buffer, so they must be closed before the buffer's next
     * batch (see {@link BatchBuffer}).
     *
     * @throws IllegalStateException if the buffer's previous batch is still open
     */
    public Batch batch(NDManager manager, int[] order, int from, int to, BatchBuffer buffer) {
        int n = to - from;
        int size = images.imageSize();
        FloatBuffer pixels = buffer.pixelsForWriting(n);
        FloatBuffer labels = buffer.labels();
        float[] image = buffer.imageScratch();
        for (int i = 0; i < n; i++) {
            int item = items[order[from + i]];
            // Normalised in a small heap array (a loop the JIT vectorises), then one bulk copy:
            // element-wise puts into native memory cost four times as much.
            fill(image, 0, item);
            pixels.put(i * size, image, 0, size);
            labels.put(i, images.label(item));
        }
        return buffer.batch(manager, itemShape(), n, from, itemCount());
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
        private List<String> classes;
        private Augmentation augmentation;
        private long augmentationSeed;

        private Builder(LabeledImages images) {
            this.images = images;
            this.items = java.util.stream.IntStream.range(0, images.count()).toArray();
            this.normalization = Normalization.none(images.channels());
            this.classes = java.util.stream.IntStream.range(0, images.numClasses()).mapToObj(String::valueOf).toList();
        }

        /**
         * Augments every training batch with {@code augmentation}, its draws seeded by {@code seed},
         * the epoch and the item. Images must be square.
         */
        public Builder augmentation(Augmentation augmentation, long seed) {
            if (images.height() != images.width()) {
                throw new IllegalArgumentException("augmentation needs square images, not " + images.height() + "x"
                        + images.width());
            }
            this.augmentation = augmentation.any() ? augmentation : null;
            this.augmentationSeed = seed;
            return this;
        }

        /** The class names, one per class index (by default the indices themselves). */
        public Builder classes(List<String> names) {
            if (names.size() != images.numClasses()) {
                throw new IllegalArgumentException(names.size() + " class names for " + images.numClasses() + " classes");
            }
            this.classes = List.copyOf(names);
            return this;
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
