package dev.keel.trainer.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * Copies of every parameter of a block (batch-norm running statistics included), named by their
 * stable names, and their exact restoration.
 */
public final class WeightSnapshot {
    private WeightSnapshot() {}

    /** Copies every initialised parameter into {@code manager}, each named by its stable name. */
    public static NDList take(Block block, NDManager manager) {
        NDList copies = new NDList();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            NDArray copy = parameter.getValue().getArray().duplicate();
            copy.attach(manager);
            copy.setName(parameter.getKey());
            copies.add(copy);
        }
        return copies;
    }

    /**
     * Writes saved values back into the block's own arrays, in place, so that DJL's trainer keeps
     * using the same arrays; the values afterwards are bit-identical to the saved ones.
     *
     * @throws IllegalStateException when the snapshot does not fit the block
     */
    public static void restore(Block block, NDList saved) {
        java.util.Map<String, NDArray> byName = new java.util.HashMap<>();
        for (NDArray array : saved) {
            byName.put(array.getName(), array);
        }
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            NDArray value = byName.get(parameter.getKey());
            NDArray target = parameter.getValue().getArray();
            if (value == null || !value.getShape().equals(target.getShape())) {
                throw new IllegalStateException("saved weights do not fit parameter " + parameter.getKey()
                        + (value == null ? " (missing)" : " (shape " + value.getShape() + " vs " + target.getShape() + ")"));
            }
            // An indexed assignment copies into the existing storage: exact for NaN, -0.0 and Inf.
            target.set(new NDIndex("..."), value);
        }
    }
}
