package dev.keel.tune.study;

/** Whether the study looks for the largest objective (accuracy) or the smallest (loss). */
public enum Direction {
    MAXIMIZE,
    MINIMIZE;

    /** {@code value} turned so that lower is better, as samplers and pruners compare values. */
    public double lowerIsBetter(double value) {
        return this == MAXIMIZE ? -value : value;
    }
}
