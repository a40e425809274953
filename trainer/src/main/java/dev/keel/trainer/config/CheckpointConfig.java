package dev.keel.trainer.config;

/**
 * When checkpoints are written and which are kept.
 *
 * @param everySteps steps between checkpoints (one is also written at every epoch's end)
 * @param keepLast how many of the newest checkpoints to keep
 * @param keepBest how many of the best epoch-end checkpoints by {@code monitor} to keep besides
 * @param monitor {@code valid_loss} or {@code valid_accuracy}
 */
public record CheckpointConfig(int everySteps, int keepLast, int keepBest, String monitor) {}
