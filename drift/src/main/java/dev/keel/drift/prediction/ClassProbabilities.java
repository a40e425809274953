package dev.keel.drift.prediction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.keel.serving.translate.Probabilities;
import java.util.Arrays;

/** A network's class probabilities (the softmax of its outputs) for model-ready inputs. */
public final class ClassProbabilities {
    private ClassProbabilities() {}

    /**
     * Runs {@code network} in inference mode over {@code inputs} in batches of {@code batchSize},
     * each in a manager of its own, and gives one probability row per input, in order.
     */
    public static double[][] of(Block network, NDManager manager, Shape itemShape, float[][] inputs, int batchSize) {
        int width = Math.toIntExact(itemShape.size());
        double[][] probabilities = new double[inputs.length][];
        for (int from = 0; from < inputs.length; from += batchSize) {
            int to = Math.min(inputs.length, from + batchSize);
            float[] batch = new float[(to - from) * width];
            for (int i = from; i < to; i++) {
                if (inputs[i].length != width) {
                    throw new IllegalArgumentException("input " + i + " has " + inputs[i].length
                            + " values; the model takes " + width + " (" + itemShape + ")");
                }
                System.arraycopy(inputs[i], 0, batch, (i - from) * width, width);
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray input = scope.create(batch, new Shape(to - from).addAll(itemShape));
                NDArray output = network.forward(new ParameterStore(scope, false), new NDList(input), false)
                        .singletonOrThrow();
                int classes = Math.toIntExact(output.getShape().get(1));
                float[] logits = output.toFloatArray();
                for (int i = from; i < to; i++) {
                    probabilities[i] = Probabilities.softmax(
                            Arrays.copyOfRange(logits, (i - from) * classes, (i - from + 1) * classes));
                }
            }
        }
        return probabilities;
    }
}
