package dev.keel.trainer.metrics;

/**
 * fastai's smoothed loss: an exponential moving average of the step losses (beta 0.98), debiased
 * so that its first values are not pulled toward zero. The learning-rate finder and the divergence
 * guard both judge the loss by it.
 */
public final class SmoothedLoss {
    /** The decay of the moving average. */
    public static final double BETA = 0.98;

    private double average;
    private int count;

    /** Adds a step's loss and returns the smoothed loss after it. */
    public double add(double loss) {
        average = BETA * average + (1 - BETA) * loss;
        count++;
        return value();
    }

    /** The smoothed loss so far, NaN before the first loss. */
    public double value() {
        return count == 0 ? Double.NaN : average / (1 - Math.pow(BETA, count));
    }

    /** Forgets every loss seen. */
    public void reset() {
        average = 0;
        count = 0;
    }

    /** The raw (biased) average, for saving. */
    public double average() {
        return average;
    }

    /** How many losses were averaged, for saving. */
    public int count() {
        return count;
    }

    /** Restores a state saved from {@link #average()} and {@link #count()}. */
    public void restore(double average, int count) {
        this.average = average;
        this.count = count;
    }
}
