package dev.keel.datasets;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import java.util.List;

/**
 * What Keel's training loop consumes: a fixed set of labelled items that it reads in batches, in
 * an order it chooses (a seeded permutation per epoch), written into one reused {@link
 * BatchBuffer}. IDX images, image folders and tables each implement it; the loop knows no format.
 *
 * <p>A batch must be a pure function of the items, the order, the range and the epoch, so that a
 * run resumed at any step reads exactly the batches of the run it continues: random augmentation
 * draws from a stream seeded by the run's seed, the epoch and the item, never from shared state.
 */
public interface BatchSource {
    /** The number of items. */
    int itemCount();

    /** The shape of one item's input: (channels, height, width) for images, (features) for tables. */
    Shape itemShape();

    /** Floats per item: the product of {@link #itemShape()}. */
    default int itemSize() {
        return Math.toIntExact(itemShape().size());
    }

    /** One name per class index. */
    List<String> classes();

    /** The class index of the item at {@code position}. */
    int labelAt(int position);

    /**
     * The items at positions {@code order[from..to)} as one batch, written into {@code buffer}: data
     * of shape (n, item shape...) and float class indices of shape (n). On the CPU the batch's arrays
     * are views of the buffer, so they must be closed before the buffer's next batch.
     *
     * @param epoch the 0-based epoch, which random augmentation depends on; sources without
     *     augmentation ignore it
     * @throws IllegalStateException if the buffer's previous batch is still open
     */
    Batch batch(NDManager manager, int[] order, int from, int to, int epoch, BatchBuffer buffer);

    /** A buffer for batches of up to {@code capacity} items of this source. */
    default BatchBuffer newBuffer(int capacity) {
        return new BatchBuffer(capacity, itemSize());
    }
}
