package dev.keel.trainer.fit;

/**
 * What one optimizer step produced.
 *
 * @param loss the batch's mean training loss
 * @param items the number of items in the batch
 * @param seconds wall time of the step, batch creation included
 */
public record StepResult(double loss, int items, double seconds) {}
