package dev.keel.datasets.table;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import dev.keel.datasets.BatchBuffer;
import dev.keel.datasets.BatchSource;
import java.nio.FloatBuffer;
import java.util.List;

/** The encoded rows of one split of a table: a feature vector and a class index per row. */
public final class TableDataset implements BatchSource {
    private final float[] features;
    private final int featureCount;
    private final int[] labels;
    private final List<String> classes;

    /**
     * @param features the rows' feature vectors one after another: row {@code i} at
     *     {@code [i * featureCount, (i + 1) * featureCount)}
     * @param featureCount floats per row
     * @param labels each row's class index
     * @param classes one name per class index
     * @throws IllegalArgumentException if the sizes disagree or a label has no class
     */
    public TableDataset(float[] features, int featureCount, int[] labels, List<String> classes) {
        if (featureCount < 1 || features.length != (long) labels.length * featureCount) {
            throw new IllegalArgumentException(features.length + " floats are not " + labels.length + " rows of "
                    + featureCount + " features");
        }
        for (int label : labels) {
            if (label < 0 || label >= classes.size()) {
                throw new IllegalArgumentException("label " + label + " is not one of " + classes.size() + " classes");
            }
        }
        this.features = features.clone();
        this.featureCount = featureCount;
        this.labels = labels.clone();
        this.classes = List.copyOf(classes);
    }

    @Override
    public int itemCount() {
        return labels.length;
    }

    @Override
    public Shape itemShape() {
        return new Shape(featureCount);
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public int labelAt(int position) {
        return labels[position];
    }

    @Override
    public Batch batch(NDManager manager, int[] order, int from, int to, int epoch, BatchBuffer buffer) {
        int n = to - from;
        FloatBuffer data = buffer.pixelsForWriting(n);
        FloatBuffer labelFloats = buffer.labels();
        for (int i = 0; i < n; i++) {
            int row = order[from + i];
            data.put(i * featureCount, features, row * featureCount, featureCount);
            labelFloats.put(i, labels[row]);
        }
        return buffer.batch(manager, itemShape(), n, from, itemCount());
    }
}
