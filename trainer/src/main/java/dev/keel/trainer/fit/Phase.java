package dev.keel.trainer.fit;

/**
 * When a callback runs relative to the others at the same event: metrics are recorded first, then
 * control callbacks act on them, then checkpoints save the result, then reports show it.
 */
public enum Phase {
    METRICS,
    CONTROL,
    CHECKPOINT,
    REPORT
}
