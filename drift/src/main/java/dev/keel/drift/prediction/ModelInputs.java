package dev.keel.drift.prediction;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import dev.keel.datasets.BatchBuffer;
import dev.keel.datasets.BatchSource;
import java.util.stream.IntStream;

/**
 * Inputs ready for a model (normalised images, encoded table rows: what it was trained on), one
 * float array per item, and their labels when known.
 *
 * @param inputs one array per item, each of the model's input size
 * @param labels each item's class index, or null when the labels are not known
 */
public record ModelInputs(float[][] inputs, int[] labels) {

    public ModelInputs {
        if (labels != null && labels.length != inputs.length) {
            throw new IllegalArgumentException(inputs.length + " inputs but " + labels.length + " labels");
        }
    }

    /** Every item of {@code split} (a reference run's validation split, say) with its label, in order. */
    public static ModelInputs of(BatchSource split, NDManager manager) {
        int n = split.itemCount();
        int width = split.itemSize();
        int batchSize = 256;
        int[] order = IntStream.range(0, n).toArray();
        float[][] inputs = new float[n][];
        int[] labels = new int[n];
        BatchBuffer buffer = split.newBuffer(Math.max(1, Math.min(batchSize, n)));
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(from + batchSize, n);
            try (NDManager scope = manager.newSubManager()) {
                Batch batch = split.batch(scope, order, from, to, 0, buffer);
                float[] values = batch.getData().head().toFloatArray();
                batch.close();
                for (int i = from; i < to; i++) {
                    inputs[i] = new float[width];
                    System.arraycopy(values, (i - from) * width, inputs[i], 0, width);
                    labels[i] = split.labelAt(i);
                }
            }
        }
        return new ModelInputs(inputs, labels);
    }

    /** The number of items. */
    public int size() {
        return inputs.length;
    }

    /** Whether the labels are known. */
    public boolean labelled() {
        return labels != null;
    }
}
