package dev.keel.trainer.interpret;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.dataset.Batch;
import dev.keel.datasets.BatchBuffer;
import dev.keel.datasets.BatchSource;
import dev.keel.serving.translate.Probabilities;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A model's outputs for every item of a split, with the true classes: what the interpretation
 * computes from.
 *
 * @param classes one name per class index
 * @param labels the true class of each item
 * @param logits the model's outputs, one row per item
 * @param names a name per item (a file), or null to name items by their index
 */
public record Predictions(List<String> classes, int[] labels, float[][] logits, List<String> names) {

    /** Runs {@code block} in inference mode over every item of {@code data}, in order. */
    public static Predictions collect(Block block, NDManager manager, BatchSource data, int batchSize,
            List<String> names) {
        int n = data.itemCount();
        int[] order = IntStream.range(0, n).toArray();
        int[] labels = new int[n];
        float[][] logits = new float[n][];
        BatchBuffer buffer = data.newBuffer(Math.max(1, Math.min(batchSize, n)));
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(from + batchSize, n);
            try (NDManager scope = manager.newSubManager()) {
                Batch batch = data.batch(scope, order, from, to, 0, buffer);
                NDArray output = block.forward(new ParameterStore(scope, false), batch.getData(), false)
                        .singletonOrThrow();
                int width = Math.toIntExact(output.getShape().get(1));
                float[] values = output.toFloatArray();
                for (int i = from; i < to; i++) {
                    logits[i] = Arrays.copyOfRange(values, (i - from) * width, (i - from + 1) * width);
                    labels[i] = data.labelAt(i);
                }
                batch.close();
            }
        }
        return new Predictions(data.classes(), labels, logits, names);
    }

    /** The number of items. */
    public int size() {
        return labels.length;
    }

    /** The name of item {@code i}: its file, or {@code #i}. */
    public String name(int i) {
        return names == null ? "#" + i : names.get(i);
    }

    /** Class probabilities of item {@code i} (softmax of its logits, in double precision). */
    public double[] probabilities(int i) {
        return Probabilities.softmax(logits[i]);
    }

    /** Cross-entropy of item {@code i}: minus the log-softmax of its true class. */
    public double loss(int i) {
        float[] row = logits[i];
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : row) {
            sum += Math.exp(v - max);
        }
        return Math.log(sum) + max - row[labels[i]];
    }
}
