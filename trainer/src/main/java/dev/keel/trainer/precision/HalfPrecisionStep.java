package dev.keel.trainer.precision;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.keel.trainer.fit.Gradients;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.StepPrecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Mixed precision, the classic way: the forward and backward pass run in float16 on float16 copies
 * of the float32 master weights; the loss is computed in float32 and multiplied by the
 * {@link LossScaler}'s scale before the backward pass; the copies' gradients are added to the
 * masters' own gradients and divided by the scale; Keel's optimizer then updates the masters (its
 * state stays float32). A step whose gradients hold an Inf or a NaN while its loss is finite
 * overflowed float16: it is skipped and the scale halves. A non-finite loss is not an overflow
 * (scaling cannot cure it): it goes to the divergence guard like any other.
 *
 * <p>Meant for GPUs: on a CPU, float16 convolutions are not oneDNN's path and run two orders of
 * magnitude slower than float32.
 */
public final class HalfPrecisionStep implements StepPrecision {
    private final LossScaler scaler;
    private final PairList<String, Parameter> parameters;

    /** @param parameters the model's parameters (listed once: DJL builds the list anew on every call) */
    public HalfPrecisionStep(LossScaler scaler, PairList<String, Parameter> parameters) {
        this.scaler = scaler;
        this.parameters = parameters;
    }

    @Override
    public NDArray forwardBackward(Trainer trainer, Batch batch, NDManager scope) {
        giveMastersGradients(scope);
        HalfParameterStore store = new HalfParameterStore(scope);
        NDArray loss;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDList predictions = trainer.getModel().getBlock().forward(store, toHalf(batch.getData(), scope), true);
            loss = trainer.getLoss().evaluate(batch.getLabels(), toFloat32(predictions, scope));
            collector.backward(loss.mul((float) scaler.scale()));
        }
        unscale(store);
        return loss;
    }

    @Override
    public boolean skipsUpdate(LoopState state, Gradients gradients) {
        if (!Double.isFinite(gradients.loss())) {
            return false; // no overflow: the divergence guard's case, and no clean step either
        }
        if (!Double.isFinite(gradients.globalNorm())) {
            scaler.overflowed(state);
            return true;
        }
        scaler.stepped(state);
        return false;
    }

    /**
     * Adds each float16 copy's gradient to its master's and divides the masters' gradients by the
     * scale. The masters' gradients are zero here: every update and every skipped step zeroes them.
     */
    private void unscale(HalfParameterStore store) {
        float inverse = (float) (1 / scaler.scale());
        for (Map.Entry<Parameter, NDArray> entry : store.copies().entrySet()) {
            if (entry.getKey().requiresGradient()) {
                try (NDArray half = entry.getValue().getGradient();
                        NDArray master = JniUtils.getGradient((PtNDArray) entry.getKey().getArray())) {
                    master.addi(half).muli(inverse);
                }
            }
        }
        for (Parameter parameter : store.float32()) {
            if (parameter.requiresGradient()) {
                try (NDArray master = JniUtils.getGradient((PtNDArray) parameter.getArray())) {
                    if (master != null) {
                        master.muli(inverse);
                    }
                }
            }
        }
    }

    /**
     * Makes the gradient of every trainable master that has none yet (a fresh model, or weights just
     * loaded from a checkpoint), as zeros, by a backward pass through {@code sum(w * 0)}: a master
     * is not in the float16 graph, and PyTorch gives a tensor a gradient only through a backward
     * pass.
     */
    private void giveMastersGradients(NDManager scope) {
        List<NDArray> missing = new ArrayList<>();
        for (Pair<String, Parameter> entry : parameters) {
            Parameter parameter = entry.getValue();
            if (parameter.requiresGradient() && parameter.isInitialized()) {
                PtNDArray master = (PtNDArray) parameter.getArray();
                try (PtNDArray gradient = JniUtils.getGradient(master)) {
                    if (gradient == null) {
                        missing.add(master);
                    }
                }
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try (NDManager zeros = scope.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray total = zeros.zeros(new Shape(), DataType.FLOAT32, missing.get(0).getDevice());
            for (NDArray master : missing) {
                NDArray product = master.mul(0);
                product.attach(zeros); // made in the master's manager, which lives as long as the model
                total = total.add(product.sum());
            }
            collector.backward(total);
        }
    }

    /** The batch's float32 inputs as float16 (labels and integer inputs stay as they are). */
    private static NDList toHalf(NDList inputs, NDManager scope) {
        NDList half = new NDList(inputs.size());
        for (NDArray input : inputs) {
            if (input.getDataType() == DataType.FLOAT32) {
                NDArray copy = input.toType(DataType.FLOAT16, false);
                copy.attach(scope);
                half.add(copy);
            } else {
                half.add(input);
            }
        }
        return half;
    }

    /**
     * The float16 outputs as float32, still in the graph: DJL's {@code toType} leaves the graph, so
     * the cast is PyTorch's type promotion in {@code x + zeros(1, float32)}. The loss (log-softmax
     * and all) is then computed in float32, as under autocast.
     */
    private static NDList toFloat32(NDList outputs, NDManager scope) {
        NDList float32 = new NDList(outputs.size());
        NDArray zero = null;
        for (NDArray output : outputs) {
            if (output.getDataType() == DataType.FLOAT16) {
                if (zero == null) {
                    zero = scope.zeros(new Shape(1), DataType.FLOAT32, output.getDevice());
                }
                float32.add(output.add(zero));
            } else {
                float32.add(output);
            }
        }
        return float32;
    }
}
