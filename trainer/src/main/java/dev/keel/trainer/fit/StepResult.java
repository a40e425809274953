package dev.keel.trainer.fit;

/**
 * What one optimizer step produced.
 *
 * @param loss the batch's mean training loss
 * @param items the number of items in the batch
 * @param seconds wall time of the step, batch creation included
 * @param weightsCurrent whether the model's weights are still those this step left: false for a
 *     step whose end is announced after later steps ran ({@code train.sync_every_steps} above 1),
 *     where saving or stopping would not match the position
 */
public record StepResult(double loss, int items, double seconds, boolean weightsCurrent) {
    /** A step announced right after it ran. */
    public StepResult(double loss, int items, double seconds) {
        this(loss, items, seconds, true);
    }
}
