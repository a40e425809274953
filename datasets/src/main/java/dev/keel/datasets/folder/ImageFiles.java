package dev.keel.datasets.folder;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import dev.keel.datasets.BatchBuffer;
import dev.keel.datasets.BatchPrefetch;
import dev.keel.datasets.BatchSource;
import dev.keel.datasets.DataException;
import dev.keel.datasets.augment.Augmentation;
import dev.keel.serving.image.Normalization;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Images read from their files for every batch, for a folder too large to keep decoded in memory
 * ({@code data.cache: false}): the items of a batch are decoded, augmented and normalised in
 * parallel on the common pool, and the next batch is prepared while the loop trains on this one.
 * A batch is a pure function of the files, the order, the range and the epoch, as with cached images.
 */
public final class ImageFiles implements BatchSource {
    private final List<Path> files;
    private final int[] labels;
    private final int[] items;
    private final int channels;
    private final int size;
    private final Normalization normalization;
    private final List<String> classes;
    private final Augmentation augmentation;
    private final long seed;
    private final BatchPrefetch prefetch = new BatchPrefetch();

    /**
     * @param files every file of the split, with {@code labels} their class indices
     * @param items the positions in {@code files} this source serves, in item order
     * @param augmentation train-time augmentation, or null
     * @param seed the run's seed, which augmentation draws from
     */
    public ImageFiles(List<Path> files, int[] labels, int[] items, int channels, int size, Normalization normalization,
            List<String> classes, Augmentation augmentation, long seed) {
        this.files = List.copyOf(files);
        this.labels = labels.clone();
        this.items = items.clone();
        this.channels = channels;
        this.size = size;
        this.normalization = normalization;
        this.classes = List.copyOf(classes);
        this.augmentation = augmentation == null || !augmentation.any() ? null : augmentation;
        this.seed = seed;
    }

    @Override
    public int itemCount() {
        return items.length;
    }

    @Override
    public Shape itemShape() {
        return new Shape(channels, size, size);
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public int labelAt(int position) {
        return labels[items[position]];
    }

    @Override
    public Batch batch(NDManager manager, int[] order, int from, int to, int epoch, BatchBuffer buffer) {
        int n = to - from;
        float[] staged = prefetch.take(order, from, to, epoch, this::load);
        int itemSize = itemSize();
        FloatBuffer pixels = buffer.pixelsForWriting(n);
        FloatBuffer labelBuffer = buffer.labels();
        pixels.put(0, staged, 0, n * itemSize);
        for (int i = 0; i < n; i++) {
            labelBuffer.put(i, labelAt(order[from + i]));
        }
        return buffer.batch(manager, itemShape(), n, from, itemCount());
    }

    private float[] load(int[] order, int from, int to, int epoch) {
        int itemSize = itemSize();
        int plane = size * size;
        float[] out = new float[(to - from) * itemSize];
        IntStream.range(0, to - from).parallel().forEach(i -> {
            int item = items[order[from + i]];
            ImageDecoder.Decoded decoded = ImageDecoder.decode(files.get(item), channels, size);
            if (decoded.pixels() == null) {
                throw new DataException(files.get(item) + ": " + decoded.problem() + " (it was readable when the "
                        + "data was checked: was it changed during training?)");
            }
            int offset = i * itemSize;
            if (augmentation != null) {
                augmentation.apply(decoded.pixels(), 0, channels, size, seed, epoch, item, out, offset);
            } else {
                for (int p = 0; p < itemSize; p++) {
                    out[offset + p] = decoded.pixels()[p] & 0xff;
                }
            }
            normalization.applyInPlace(out, offset, plane);
        });
        return out;
    }
}
