package dev.keel.trainer.fit;

/**
 * Where the loop is: plain counters callbacks may read. Only the loop moves them.
 */
public final class LoopState {
    private final int epochs;
    private final int stepsPerEpoch;
    private final int batchSize;
    private int epoch;
    private int stepInEpoch;
    private long globalStep;
    private double learningRate;
    private double momentum;
    private double lastLoss = Double.NaN;

    LoopState(int epochs, int stepsPerEpoch, int batchSize) {
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.batchSize = batchSize;
    }

    /** Epochs in the whole run. */
    public int epochs() {
        return epochs;
    }

    /** Optimizer steps per epoch. */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** Steps in the whole run. */
    public long totalSteps() {
        return (long) epochs * stepsPerEpoch;
    }

    /** The training batch size. */
    public int batchSize() {
        return batchSize;
    }

    /** The current epoch, 0-based. */
    public int epoch() {
        return epoch;
    }

    /** The current step within the epoch, 0-based. */
    public int stepInEpoch() {
        return stepInEpoch;
    }

    /** The current step counted from the start of the run, 0-based. */
    public long globalStep() {
        return globalStep;
    }

    /** The learning rate of the current step. */
    public double learningRate() {
        return learningRate;
    }

    /** The momentum (sgd) or beta1 (adam) of the current step. */
    public double momentum() {
        return momentum;
    }

    /** The loss of the last completed step, NaN before the first. */
    public double lastLoss() {
        return lastLoss;
    }

    void moveTo(int epoch, int stepInEpoch) {
        this.epoch = epoch;
        this.stepInEpoch = stepInEpoch;
        this.globalStep = (long) epoch * stepsPerEpoch + stepInEpoch;
    }

    void setHyperParameters(double learningRate, double momentum) {
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    void setLastLoss(double lastLoss) {
        this.lastLoss = lastLoss;
    }
}
