package dev.keel.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Stochastic gradient descent with PyTorch's semantics: {@code g = grad + wd * w};
 * {@code buf = m * buf + g}; the step is {@code buf}, or {@code g + m * buf} with Nesterov;
 * {@code w -= lr * step}.
 */
public final class Sgd extends KeelOptimizer {
    private float momentum;
    private final boolean nesterov;

    public Sgd(NDManager parent, double learningRate, double momentum, boolean nesterov, double weightDecay) {
        super(parent, learningRate, weightDecay);
        this.momentum = (float) momentum;
        this.nesterov = nesterov;
    }

    @Override
    public double momentum() {
        return momentum;
    }

    @Override
    public void setMomentum(double momentum) {
        this.momentum = (float) momentum;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        nextStep(parameterId);
        // grad may be changed in place: the parameter's gradient is zeroed below anyway.
        if (weightDecay != 0) {
            try (NDArray decay = weight.mul(weightDecay)) {
                grad.addi(decay);
            }
        }
        NDArray step = grad;
        if (momentum != 0) {
            NDArray buffer = state(parameterId, "momentum_buffer", weight);
            buffer.muli(momentum).addi(grad);
            if (nesterov) {
                try (NDArray ahead = buffer.mul(momentum)) {
                    grad.addi(ahead);
                }
            } else {
                step = buffer;
            }
        }
        try (NDArray delta = step.mul(learningRate(parameterId))) {
            weight.subi(delta);
        }
        zeroGradient(weight);
    }
}
