package dev.keel.drift.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.keel.serving.network.ScopedSequentialBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * A network's penultimate-layer embedding: the input of its last linear layer, the features its
 * classifier reads. Found through DJL's {@link Block} API alone: a block with children is run as
 * the chain of its children (true of {@code SequentialBlock} and of Keel's body-and-head block of
 * a fine-tuned model), all of them but the last, and the search goes on inside the last one until
 * it is a {@link Linear} layer. So for Keel's mlp, cnn and tabular-mlp the embedding is the last
 * hidden layer's output (after its activation, normalisation and dropout, which is off in
 * inference); for a fine-tuned model, the body's features as the head receives them (after the
 * head's pooling and flattening when it has them).
 */
public final class Embeddings {
    private Embeddings() {}

    /**
     * The embeddings of {@code inputs} (model-ready: normalised as the model was trained), in
     * order, computed in batches of {@code batchSize}, each in a manager of its own that is closed
     * once its rows are read.
     *
     * @param itemShape one input's shape, as the model takes it
     * @throws IllegalArgumentException when the network has no linear layer at the end of its chain
     */
    public static double[][] of(Block network, NDManager manager, Shape itemShape, List<float[]> inputs,
            int batchSize) {
        int width = Math.toIntExact(itemShape.size());
        double[][] rows = new double[inputs.size()][];
        for (int from = 0; from < inputs.size(); from += batchSize) {
            int to = Math.min(inputs.size(), from + batchSize);
            float[] batch = new float[(to - from) * width];
            for (int i = from; i < to; i++) {
                System.arraycopy(inputs.get(i), 0, batch, (i - from) * width, width);
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray input = scope.create(batch, new Shape(to - from).addAll(itemShape));
                NDArray output = forward(network, new ParameterStore(scope, false), new NDList(input))
                        .singletonOrThrow();
                int features = Math.toIntExact(output.getShape().size() / (to - from));
                float[] values = output.toFloatArray();
                for (int i = from; i < to; i++) {
                    double[] row = new double[features];
                    for (int d = 0; d < features; d++) {
                        row[d] = values[(i - from) * features + d];
                    }
                    rows[i] = row;
                }
            }
        }
        return rows;
    }

    /** Runs {@code block} in inference mode up to the input of its last linear layer. */
    static NDList forward(Block block, ParameterStore store, NDList inputs) {
        if (block instanceof Linear) {
            return inputs;
        }
        List<Block> children = new ArrayList<>();
        for (Pair<String, Block> child : block.getChildren()) {
            children.add(child.getValue());
        }
        if (children.isEmpty()) {
            throw new IllegalArgumentException("the network ends in a " + block.getClass().getSimpleName()
                    + ", not a linear layer: it has no penultimate-layer embedding");
        }
        // In the order the network's own forward pass gives its first layer: the same kernels, the same numbers.
        NDList current = block instanceof ScopedSequentialBlock scoped ? scoped.firstLayerInput(inputs) : inputs;
        for (Block child : children.subList(0, children.size() - 1)) {
            current = child.forward(store, current, false);
        }
        Block last = children.get(children.size() - 1);
        return forward(last, store, current);
    }
}
