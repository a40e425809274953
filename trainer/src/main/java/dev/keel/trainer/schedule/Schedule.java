package dev.keel.trainer.schedule;

/**
 * A value (a learning rate, a momentum) as a pure function of the step: the same step and total
 * always give the same value, so a resumed run continues exactly where it stopped.
 */
@FunctionalInterface
public interface Schedule {
    /**
     * The value for a step.
     *
     * @param step the 0-based global step, {@code 0 <= step < totalSteps}
     * @param totalSteps the number of steps in the whole run
     */
    double valueAt(long step, long totalSteps);

    /** The same value at every step. */
    static Schedule constant(double value) {
        return (step, total) -> value;
    }

    /** fastai's {@code sched_cos}: from {@code start} to {@code end} along half a cosine, {@code pos} in [0, 1]. */
    static double cosine(double start, double end, double pos) {
        return start + (1 + Math.cos(Math.PI * (1 - pos))) * (end - start) / 2;
    }
}
