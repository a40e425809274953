package dev.keel.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Each optimizer's updates, step by step, against its formula computed by hand in doubles. */
class OptimizerFormulaTest {
    private static final float[] START = {0.5f, -1.0f, 2.0f};
    private static final float[][] GRADS = {{0.1f, -0.2f, 0.3f}, {-0.4f, 0.5f, 0.05f}, {0.2f, 0.2f, -0.1f}};

    @Test
    void sgdWithMomentumAndWeightDecay() {
        double lr = 0.1;
        double momentum = 0.9;
        double wd = 0.01;
        double[] w = toDouble(START);
        double[] buffer = new double[w.length];
        try (NDManager manager = NDManager.newBaseManager(); Sgd sgd = new Sgd(manager, lr, momentum, false, wd)) {
            NDArray weight = weight(manager);
            for (float[] grad : GRADS) {
                for (int i = 0; i < w.length; i++) {
                    double g = grad[i] + wd * w[i];
                    buffer[i] = momentum * buffer[i] + g;
                    w[i] -= lr * buffer[i];
                }
                step(sgd, weight, grad, manager);
                assertArrayEquals(toFloat(w), weight.toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void sgdWithNesterovMomentum() {
        double lr = 0.05;
        double momentum = 0.8;
        double[] w = toDouble(START);
        double[] buffer = new double[w.length];
        try (NDManager manager = NDManager.newBaseManager(); Sgd sgd = new Sgd(manager, lr, momentum, true, 0)) {
            NDArray weight = weight(manager);
            for (float[] grad : GRADS) {
                for (int i = 0; i < w.length; i++) {
                    buffer[i] = momentum * buffer[i] + grad[i];
                    w[i] -= lr * (grad[i] + momentum * buffer[i]);
                }
                step(sgd, weight, grad, manager);
                assertArrayEquals(toFloat(w), weight.toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void adamWWithDecoupledWeightDecayAndChangingRateAndBeta1() {
        double[] rates = {1e-2, 2e-2, 5e-3};
        double[] beta1s = {0.95, 0.9, 0.85};
        double beta2 = 0.999;
        double eps = 1e-8;
        double wd = 0.1;
        double[] w = toDouble(START);
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        try (NDManager manager = NDManager.newBaseManager();
                AdamW adam = new AdamW(manager, rates[0], beta1s[0], beta2, eps, wd, true)) {
            NDArray weight = weight(manager);
            for (int t = 1; t <= GRADS.length; t++) {
                double lr = rates[t - 1];
                double b1 = beta1s[t - 1];
                adam.setLearningRate(lr);
                adam.setMomentum(b1);
                for (int i = 0; i < w.length; i++) {
                    double g = GRADS[t - 1][i];
                    w[i] -= lr * wd * w[i];
                    m[i] = b1 * m[i] + (1 - b1) * g;
                    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                    w[i] -= lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(b1, t)) * m[i] / (Math.sqrt(v[i]) + eps);
                }
                step(adam, weight, GRADS[t - 1], manager);
                assertArrayEquals(toFloat(w), weight.toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void adamCouplesWeightDecayToTheGradient() {
        double lr = 1e-2;
        double wd = 0.1;
        double[] w = toDouble(START);
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        try (NDManager manager = NDManager.newBaseManager();
                AdamW adam = new AdamW(manager, lr, 0.9, 0.999, 1e-8, wd, false)) {
            NDArray weight = weight(manager);
            for (int t = 1; t <= GRADS.length; t++) {
                for (int i = 0; i < w.length; i++) {
                    double g = GRADS[t - 1][i] + wd * w[i];
                    m[i] = 0.9 * m[i] + 0.1 * g;
                    v[i] = 0.999 * v[i] + 0.001 * g * g;
                    w[i] -= lr * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t)) * m[i] / (Math.sqrt(v[i]) + 1e-8);
                }
                step(adam, weight, GRADS[t - 1], manager);
                assertArrayEquals(toFloat(w), weight.toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void updateZeroesTheParameterGradient() {
        try (NDManager manager = NDManager.newBaseManager(); Sgd sgd = new Sgd(manager, 0.1, 0, false, 0)) {
            NDArray weight = weight(manager);
            try (ai.djl.training.GradientCollector collector = manager.getEngine().newGradientCollector()) {
                collector.backward(weight.mul(weight).sum());
            }
            try (NDArray gradient = weight.getGradient(); NDArray copy = gradient.duplicate()) {
                sgd.update("w", weight, copy);
            }
            try (NDArray gradient = weight.getGradient()) {
                assertArrayEquals(new float[3], gradient.toFloatArray());
            }
        }
    }

    private static NDArray weight(NDManager manager) {
        NDArray weight = manager.create(START.clone());
        weight.setRequiresGradient(true);
        return weight;
    }

    private static void step(KeelOptimizer optimizer, NDArray weight, float[] grad, NDManager manager) {
        try (NDArray gradient = manager.create(grad.clone())) {
            optimizer.update("w", weight, gradient);
        }
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
