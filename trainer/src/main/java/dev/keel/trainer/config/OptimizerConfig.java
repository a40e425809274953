package dev.keel.trainer.config;

/**
 * The optimizer and its hyper-parameters.
 *
 * @param name {@code sgd}, {@code adam} or {@code adamw}
 * @param lr the (peak) learning rate, or {@code auto} for the one the learning-rate finder picks
 * @param weightDecay L2 penalty (sgd, adam) or decoupled weight decay (adamw)
 * @param momentum sgd: momentum (the schedule may cycle it)
 * @param nesterov sgd: Nesterov momentum
 * @param beta1 adam, adamw: decay of the first moment (the schedule may cycle it)
 * @param beta2 adam, adamw: decay of the second moment
 * @param eps adam, adamw: added to the denominator
 */
public record OptimizerConfig(
        String name,
        LearningRate lr,
        double weightDecay,
        double momentum,
        boolean nesterov,
        double beta1,
        double beta2,
        double eps) {

    /** Settings with a fixed learning rate. */
    public OptimizerConfig(String name, double lr, double weightDecay, double momentum, boolean nesterov,
            double beta1, double beta2, double eps) {
        this(name, LearningRate.of(lr), weightDecay, momentum, nesterov, beta1, beta2, eps);
    }

    /** These settings with the learning rate fixed at {@code lr}: what a run with {@code lr: auto} trains with. */
    public OptimizerConfig withLr(double lr) {
        return new OptimizerConfig(name, LearningRate.of(lr), weightDecay, momentum, nesterov, beta1, beta2, eps);
    }
}
