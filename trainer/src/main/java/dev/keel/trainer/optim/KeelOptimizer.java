package dev.keel.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import dev.keel.trainer.config.OptimizerConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * An optimizer whose learning rate and momentum are set from outside, step by step (by a
 * schedule), and whose state lives in an {@link NDManager} it owns and closes.
 *
 * <p>It plugs into DJL's {@code Trainer.step()}, which calls {@link #update} once per parameter
 * with a copy of the gradient. Each update zeroes the parameter's own gradient afterwards, since
 * PyTorch accumulates gradients across backward passes.
 */
public abstract class KeelOptimizer extends Optimizer implements AutoCloseable {
    private final NDManager stateManager;
    private final Map<String, Map<String, NDArray>> state = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();
    protected final float weightDecay;
    protected float learningRate;

    protected KeelOptimizer(NDManager parent, double learningRate, double weightDecay) {
        super(new NoOptions());
        this.stateManager = parent.newSubManager();
        this.learningRate = (float) learningRate;
        this.weightDecay = (float) weightDecay;
    }

    /** The optimizer a config names. */
    public static KeelOptimizer of(OptimizerConfig config, NDManager parent) {
        return switch (config.name()) {
            case "sgd" -> new Sgd(parent, config.lr(), config.momentum(), config.nesterov(), config.weightDecay());
            case "adam" -> new AdamW(parent, config.lr(), config.beta1(), config.beta2(), config.eps(),
                    config.weightDecay(), false);
            case "adamw" -> new AdamW(parent, config.lr(), config.beta1(), config.beta2(), config.eps(),
                    config.weightDecay(), true);
            default -> throw new IllegalArgumentException("unknown optimizer " + config.name());
        };
    }

    /** The learning rate the next update uses. */
    public double learningRate() {
        return learningRate;
    }

    /** Sets the learning rate for the following updates. */
    public void setLearningRate(double learningRate) {
        this.learningRate = (float) learningRate;
    }

    /** The momentum (sgd) or beta1 (adam) the next update uses. */
    public abstract double momentum();

    /** Sets the momentum (sgd) or beta1 (adam) for the following updates. */
    public abstract void setMomentum(double momentum);

    /** A named state array of a parameter, made as zeros like {@code weight} on first use. */
    protected NDArray state(String parameterId, String name, NDArray weight) {
        return state.computeIfAbsent(parameterId, k -> new HashMap<>()).computeIfAbsent(
                name, k -> stateManager.zeros(weight.getShape(), weight.getDataType(), weight.getDevice()));
    }

    /** Counts one more update of a parameter and returns the count, starting at 1. */
    protected int nextStep(String parameterId) {
        return steps.merge(parameterId, 1, Integer::sum);
    }

    /** Zeroes a parameter's accumulated gradient, NaN and all. */
    protected static void zeroGradient(NDArray weight) {
        if (weight instanceof PtNDArray pt) {
            JniUtils.zeroGrad(pt);
        } else {
            try (NDArray gradient = weight.getGradient()) {
                gradient.muli(0);
            }
        }
    }

    @Override
    public void close() {
        stateManager.close();
    }

    /** DJL's optimizer base wants a builder; Keel's options live in the subclasses. */
    private static final class NoOptions extends OptimizerBuilder<NoOptions> {
        @Override
        protected NoOptions self() {
            return this;
        }
    }
}
