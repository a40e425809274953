package dev.keel.trainer.fit;

/**
 * How a fit ended.
 *
 * @param epochs epochs completed
 * @param steps optimizer steps taken
 * @param seconds wall time of the fit
 * @param lastValid the last validation result, or null
 */
public record FitResult(int epochs, long steps, double seconds, EvalResult lastValid) {}
