package dev.keel.trainer.fit;

import java.util.List;

/**
 * Where the loop is: plain counters callbacks may read, and the few requests a control callback
 * may make of the loop (skip this step's update, jump back to a restored position, stop). Only the
 * loop moves the counters.
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
    private double learningRateScale = 1;
    private List<GroupRate> groupRates = List.of();
    private double epochLossSum;
    private int epochLossCount;
    private boolean skipUpdate;
    private Position jump;
    private String stopReason;
    private FitStatus stopStatus;

    /**
     * A position in the run: the next step to take.
     *
     * @param epoch 0-based epoch
     * @param stepInEpoch 0-based step within the epoch; {@code stepsPerEpoch} means the epoch's
     *     steps are done and its validation is next
     */
    public record Position(int epoch, int stepInEpoch) {
        /** The start of a run. */
        public static final Position START = new Position(0, 0);
    }

    /** A state at the start of a run; the loop makes its own, tests make one to drive a callback. */
    public LoopState(int epochs, int stepsPerEpoch, int batchSize) {
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

    /** The parameter groups' rates and freezing at the current step; empty when the run has one group. */
    public List<GroupRate> groupRates() {
        return groupRates;
    }

    /** Records the parameter groups' rates and freezing for the current step (a schedule sets them). */
    public void setGroupRates(List<GroupRate> rates) {
        this.groupRates = List.copyOf(rates);
    }

    /** A factor on the scheduled learning rate; divergence guards lower it, checkpoints keep it. */
    public double learningRateScale() {
        return learningRateScale;
    }

    /** Sets the factor on the scheduled learning rate. */
    public void setLearningRateScale(double scale) {
        this.learningRateScale = scale;
    }

    /** The sum of this epoch's step losses so far (restored on resume, so epoch means stay exact). */
    public double epochLossSum() {
        return epochLossSum;
    }

    /** The number of steps summed in {@link #epochLossSum()}. */
    public int epochLossCount() {
        return epochLossCount;
    }

    /** Restores the running epoch loss, for a resumed run. */
    public void restoreEpochLoss(double sum, int count) {
        this.epochLossSum = sum;
        this.epochLossCount = count;
    }

    /** Asks the loop not to apply this step's update (its gradients are discarded). */
    public void skipUpdate() {
        this.skipUpdate = true;
    }

    /** Asks the loop to continue from {@code position}, whose weights a callback has just restored. */
    public void jumpTo(Position position) {
        this.jump = position;
        this.skipUpdate = true;
    }

    /** Asks the loop to stop after the current event. */
    public void requestStop(FitStatus status, String reason) {
        this.stopStatus = status;
        this.stopReason = reason;
    }

    /** Whether a stop was requested. */
    public boolean stopRequested() {
        return stopStatus != null;
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

    void recordLoss(double loss) {
        this.epochLossSum += loss;
        this.epochLossCount++;
    }

    boolean takeSkipUpdate() {
        boolean skip = skipUpdate;
        skipUpdate = false;
        return skip;
    }

    Position takeJump() {
        Position position = jump;
        jump = null;
        return position;
    }

    /** The status a stop was requested with, or null when none was. */
    public FitStatus stopStatus() {
        return stopStatus;
    }

    String stopReason() {
        return stopReason;
    }
}
