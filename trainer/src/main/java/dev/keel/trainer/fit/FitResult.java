package dev.keel.trainer.fit;

/**
 * How a fit ended.
 *
 * @param status completed, stopped or failed
 * @param reason why it stopped or failed, or null when completed
 * @param epochs epochs completed
 * @param steps optimizer steps taken (a position in the run: skipped and repeated steps not counted twice)
 * @param seconds wall time of the fit
 * @param lastValid the last validation result, or null
 */
public record FitResult(FitStatus status, String reason, int epochs, long steps, double seconds,
        EvalResult lastValid) {}
