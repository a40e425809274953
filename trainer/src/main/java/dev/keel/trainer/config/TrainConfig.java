package dev.keel.trainer.config;

/**
 * The length of the run and how often it reports.
 *
 * @param epochs passes over the training split
 * @param logEverySteps steps between lines in metrics.jsonl (and log lines when not on a terminal)
 * @param syncEverySteps steps between reading the losses back from the device (1: every step,
 *     which lets the divergence guard skip a bad step before its update)
 */
public record TrainConfig(int epochs, int logEverySteps, int syncEverySteps) {
    /** Reading every step's loss as soon as it is computed. */
    public TrainConfig(int epochs, int logEverySteps) {
        this(epochs, logEverySteps, 1);
    }
}
