package dev.keel.datasets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.translate.Batchifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Reusable native memory for the batches of a training loop: a {@link BatchSource} writes each
 * batch's floats (pixels, table features) and labels straight into it, and on the CPU the batch's
 * arrays are views of this memory, not copies. A loop that made a fresh batch every step would
 * allocate, zero and copy a new buffer per step (400 KB at batch 128 for 28x28 images) and leave
 * the old one to the garbage collector.
 *
 * <p>A source writes a batch of {@code n} items in two steps: {@link #pixelsForWriting(int)} and
 * {@link #labels()} to put the floats, then {@link #batch} to make the batch's arrays over them.
 *
 * <p>The arrays of one batch must be closed (usually with the step's {@code NDManager}) before the
 * next batch is written into the same buffer; {@link #pixelsForWriting(int)} checks this and throws
 * rather than change the numbers under a batch still in use. One buffer serves one loop on one thread.
 */
public final class BatchBuffer {
    /** oneDNN and MKL read 64-byte aligned inputs fastest. */
    private static final int ALIGNMENT = 64;

    private final int capacity;
    private final ByteBuffer pixelBytes;
    private final FloatBuffer pixels;
    private final ByteBuffer labelBytes;
    private final FloatBuffer labels;
    private final float[] imageScratch;
    private NDArray lastData;
    private NDArray lastLabels;

    /**
     * @param capacity the most items a batch may hold
     * @param itemSize floats per item (channels x height x width)
     */
    public BatchBuffer(int capacity, int itemSize) {
        if (capacity < 1 || itemSize < 1) {
            throw new IllegalArgumentException("capacity and item size must be positive, got " + capacity
                    + " and " + itemSize);
        }
        this.capacity = capacity;
        this.pixelBytes = aligned(Math.multiplyExact(capacity, itemSize) * Float.BYTES);
        this.pixels = pixelBytes.asFloatBuffer();
        this.labelBytes = aligned(capacity * Float.BYTES);
        this.labels = labelBytes.asFloatBuffer();
        this.imageScratch = new float[itemSize];
    }

    /**
     * The items' floats (item {@code i} from index {@code i * itemSize}), for writing a batch of
     * {@code items} items.
     *
     * @throws IllegalArgumentException if {@code items} exceeds the capacity
     * @throws IllegalStateException if the arrays of the last batch are still open
     */
    public FloatBuffer pixelsForWriting(int items) {
        if (items > capacity) {
            throw new IllegalArgumentException("a batch of " + items + " items does not fit a buffer for " + capacity);
        }
        if ((lastData != null && !lastData.isReleased()) || (lastLabels != null && !lastLabels.isReleased())) {
            throw new IllegalStateException("the previous batch in this buffer is still open: close its arrays "
                    + "(or their manager) before writing the next batch");
        }
        return pixels;
    }

    /** Room for one item's floats on the heap, where normalising is fastest. */
    float[] imageScratch() {
        return imageScratch;
    }

    /** The labels' floats, one per item, for writing after {@link #pixelsForWriting(int)}. */
    public FloatBuffer labels() {
        return labels;
    }

    /**
     * The batch of the {@code n} items just written, its arrays created in {@code manager} over this
     * buffer: data of shape (n, item shape...) and float labels of shape (n).
     *
     * @param from the batch's first position in the epoch's order, and {@code size} the source's items, as DJL's
     *     {@link Batch} records them
     */
    public Batch batch(NDManager manager, Shape itemShape, int n, int from, int size) {
        NDArray data = manager.create(pixelBytes(Math.toIntExact(n * itemShape.size())),
                new Shape(n).addAll(itemShape), DataType.FLOAT32);
        NDArray label = manager.create(labelBytes(n), new Shape(n), DataType.FLOAT32);
        issued(data, label);
        return new Batch(manager, new NDList(data), new NDList(label), n, Batchifier.STACK, Batchifier.STACK, from,
                size);
    }

    /** The first {@code floats} item floats as bytes, positioned for {@code NDManager.create}. */
    ByteBuffer pixelBytes(int floats) {
        return pixelBytes.clear().limit(floats * Float.BYTES);
    }

    /** The first {@code floats} label floats as bytes, positioned for {@code NDManager.create}. */
    ByteBuffer labelBytes(int floats) {
        return labelBytes.clear().limit(floats * Float.BYTES);
    }

    /**
     * Remembers the arrays created over this buffer, so that the next {@link #pixelsForWriting(int)}
     * can check they are closed.
     */
    void issued(NDArray data, NDArray labelArray) {
        this.lastData = data;
        this.lastLabels = labelArray;
    }

    private static ByteBuffer aligned(int bytes) {
        // alignedSlice rounds both ends inwards: room for a whole number of aligned blocks.
        int blocks = (bytes + ALIGNMENT - 1) / ALIGNMENT;
        return ByteBuffer.allocateDirect((blocks + 1) * ALIGNMENT).alignedSlice(ALIGNMENT).order(ByteOrder.nativeOrder());
    }
}
