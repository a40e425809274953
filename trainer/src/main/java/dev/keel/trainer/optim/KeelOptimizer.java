package dev.keel.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.keel.trainer.config.OptimizerConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * An optimizer whose learning rate and momentum are set from outside, step by step (by a
 * schedule), and whose state lives in an {@link NDManager} it owns and closes.
 *
 * <p>{@link #step} updates every trainable parameter from its own gradient. It also plugs into
 * DJL's {@code Trainer.step()}, which calls {@link #update} once per parameter with a copy of the
 * gradient (a copy Keel's loop skips). Either way an update may change the gradient it is given and
 * zeroes the parameter's own gradient afterwards, since PyTorch accumulates gradients across
 * backward passes.
 */
public abstract class KeelOptimizer extends Optimizer implements AutoCloseable {
    private final NDManager stateManager;
    private final Map<String, Map<String, NDArray>> state = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();
    protected final float weightDecay;
    protected float learningRate;
    private Map<String, Float> rateFactors = Map.of();

    protected KeelOptimizer(NDManager parent, double learningRate, double weightDecay) {
        super(new NoOptions());
        this.stateManager = parent.newSubManager();
        this.learningRate = (float) learningRate;
        this.weightDecay = (float) weightDecay;
    }

    /** The optimizer a config names. */
    public static KeelOptimizer of(OptimizerConfig config, NDManager parent) {
        return switch (config.name()) {
            case "sgd" -> new Sgd(parent, config.lr().value(), config.momentum(), config.nesterov(),
                    config.weightDecay());
            case "adam" -> new AdamW(parent, config.lr().value(), config.beta1(), config.beta2(), config.eps(),
                    config.weightDecay(), false);
            case "adamw" -> new AdamW(parent, config.lr().value(), config.beta1(), config.beta2(), config.eps(),
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

    /**
     * Per-parameter factors on the learning rate (discriminative rates: each parameter group gets
     * its share of the rate); parameters not named keep the rate itself.
     *
     * @param factors by DJL parameter id
     */
    public void setRateFactors(Map<String, Float> factors) {
        this.rateFactors = Map.copyOf(factors);
    }

    /** The learning rate of one parameter's next update. */
    protected float learningRate(String parameterId) {
        Float factor = rateFactors.get(parameterId);
        return factor == null ? learningRate : learningRate * factor;
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

    /**
     * Updates every parameter that requires a gradient and has one, from that gradient, and zeroes
     * the gradients. What DJL's {@code Trainer.step()} does on one device, without first copying
     * every gradient.
     */
    public void step(PairList<String, Parameter> parameters) {
        for (Pair<String, Parameter> entry : parameters) {
            Parameter parameter = entry.getValue();
            NDArray weight = parameter.getArray();
            if (parameter.requiresGradient() && weight.hasGradient()) {
                try (NDArray gradient = weight.getGradient()) {
                    update(parameter.getId(), weight, gradient);
                }
            }
        }
    }

    /** Zeroes a parameter's accumulated gradient, NaN and all. */
    public static void zeroGradient(NDArray weight) {
        if (weight instanceof PtNDArray pt) {
            JniUtils.zeroGrad(pt);
        } else {
            try (NDArray gradient = weight.getGradient()) {
                gradient.muli(0);
            }
        }
    }

    /**
     * A copy of the optimizer's state: every state array, named {@code <parameter>/<state>}, the
     * update count of each parameter, the learning rate and the momentum.
     *
     * @param names maps DJL's parameter ids (random per process) to stable parameter names
     * @param manager where the copied arrays are created
     */
    public OptimizerState exportState(Map<String, String> names, NDManager manager) {
        NDList arrays = new NDList();
        Map<String, Integer> counts = new TreeMap<>();
        for (Map.Entry<String, Map<String, NDArray>> parameter : new TreeMap<>(state).entrySet()) {
            String name = nameOf(names, parameter.getKey());
            for (Map.Entry<String, NDArray> entry : new TreeMap<>(parameter.getValue()).entrySet()) {
                NDArray copy = entry.getValue().duplicate();
                copy.attach(manager);
                copy.setName(name + "/" + entry.getKey());
                arrays.add(copy);
            }
        }
        steps.forEach((id, count) -> counts.put(nameOf(names, id), count));
        return new OptimizerState(arrays, counts, learningRate, momentum());
    }

    /**
     * Replaces the optimizer's state with a copy of {@code saved}.
     *
     * @param ids maps stable parameter names to this process's DJL parameter ids
     */
    public void importState(OptimizerState saved, Map<String, String> ids) {
        state.values().forEach(arrays -> arrays.values().forEach(NDArray::close));
        state.clear();
        steps.clear();
        for (NDArray array : saved.arrays()) {
            String full = array.getName();
            int slash = full.lastIndexOf('/');
            String id = idOf(ids, full.substring(0, slash));
            NDArray copy = array.duplicate();
            copy.attach(stateManager);
            state.computeIfAbsent(id, k -> new HashMap<>()).put(full.substring(slash + 1), copy);
        }
        saved.steps().forEach((name, count) -> steps.put(idOf(ids, name), count));
        setLearningRate(saved.learningRate());
        setMomentum(saved.momentum());
    }

    private static String nameOf(Map<String, String> names, String id) {
        String name = names.get(id);
        if (name == null) {
            throw new IllegalStateException("optimizer holds state of unknown parameter " + id);
        }
        return name;
    }

    private static String idOf(Map<String, String> ids, String name) {
        String id = ids.get(name);
        if (id == null) {
            throw new IllegalStateException("saved optimizer state names parameter " + name
                    + ", which this model does not have");
        }
        return id;
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
