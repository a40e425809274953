package dev.keel.trainer.fit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.keel.trainer.optim.KeelOptimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * The gradients of one step, after backward and before the optimizer update: what clipping and
 * divergence guards inspect and change. The global norm is computed once, on first request.
 */
public final class Gradients implements AutoCloseable {
    private final PairList<String, Parameter> parameters;
    private final DoubleSupplier loss;
    private List<NDArray> arrays;
    private double norm = Double.NaN;
    private boolean normKnown;

    /** @param loss the batch's loss, read from the device when first asked for */
    Gradients(PairList<String, Parameter> parameters, DoubleSupplier loss) {
        this.parameters = parameters;
        this.loss = loss;
    }

    /** The batch's loss (with {@code syncEverySteps} above 1, asking waits for the device). */
    public double loss() {
        return loss.getAsDouble();
    }

    /** The L2 norm of all gradients taken together; NaN or infinite when any gradient is. */
    public double globalNorm() {
        if (!normKnown) {
            // As PyTorch's clip_grad_norm_: the norm of the per-gradient norms, one native op per
            // gradient and two more, then one read. Every intermediate is closed here: the gradients
            // live in the model's manager, so anything derived from them would otherwise stay alive
            // as long as the model.
            List<NDArray> gradients = arrays();
            if (gradients.isEmpty()) {
                norm = 0;
            } else {
                NDList norms = new NDList(gradients.size());
                try {
                    for (NDArray gradient : gradients) {
                        norms.add(gradient.norm());
                    }
                    try (NDArray stacked = NDArrays.stack(norms); NDArray total = stacked.norm()) {
                        norm = total.getFloat();
                    }
                } finally {
                    norms.close();
                }
            }
            normKnown = true;
        }
        return norm;
    }

    /** Whether the loss and every gradient are finite. */
    public boolean isFinite() {
        return Double.isFinite(loss()) && Double.isFinite(globalNorm());
    }

    /** Multiplies every gradient by {@code factor}, in place. */
    public void scale(double factor) {
        for (NDArray gradient : arrays()) {
            gradient.muli((float) factor);
        }
        if (normKnown) {
            norm *= Math.abs(factor);
        }
    }

    /** Zeroes every gradient, NaN and all: the step's update is skipped. */
    public void discard() {
        for (Pair<String, Parameter> parameter : parameters) {
            NDArray array = parameter.getValue().getArray();
            if (array.hasGradient()) {
                KeelOptimizer.zeroGradient(array);
            }
        }
        normKnown = false;
    }

    private List<NDArray> arrays() {
        if (arrays == null) {
            arrays = new ArrayList<>();
            for (Pair<String, Parameter> parameter : parameters) {
                NDArray array = parameter.getValue().getArray();
                if (array.hasGradient()) {
                    arrays.add(array.getGradient());
                }
            }
        }
        return arrays;
    }

    @Override
    public void close() {
        if (arrays != null) {
            arrays.forEach(NDArray::close);
        }
    }
}
