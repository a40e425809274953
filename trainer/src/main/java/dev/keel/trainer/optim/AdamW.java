package dev.keel.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Adam, with weight decay either decoupled (AdamW: {@code w -= lr * wd * w}) or added to the
 * gradient (Adam). With {@code t} the parameter's update count:
 * {@code m = b1 m + (1 - b1) g}; {@code v = b2 v + (1 - b2) g^2};
 * {@code w -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps)}.
 *
 * <p>The update runs as one fused native call. Its epsilon is added before the bias correction,
 * as in the original Adam paper; PyTorch adds it after, which differs only while
 * {@code sqrt(v)} is as small as epsilon.
 */
public final class AdamW extends KeelOptimizer {
    private float beta1;
    private final float beta2;
    private final float epsilon;
    private final boolean decoupled;

    public AdamW(NDManager parent, double learningRate, double beta1, double beta2, double epsilon,
            double weightDecay, boolean decoupled) {
        super(parent, learningRate, weightDecay);
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
        this.decoupled = decoupled;
    }

    @Override
    public double momentum() {
        return beta1;
    }

    @Override
    public void setMomentum(double beta1) {
        this.beta1 = (float) beta1;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = nextStep(parameterId);
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        float rate = learningRate(parameterId);
        float correctedRate = (float) (rate * Math.sqrt(correction2) / correction1);
        NDList inputs = new NDList(weight, grad, state(parameterId, "exp_avg", weight),
                state(parameterId, "exp_avg_sq", weight));
        // The fused update also zeroes the parameter's gradient.
        weight.getNDArrayInternal().adamUpdate(inputs, new NDList(weight), rate, correctedRate,
                weightDecay, 1f, -1f, beta1, beta2, epsilon, true, decoupled);
    }
}
