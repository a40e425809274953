package dev.keel.trainer.config;

/**
 * Early stopping on a validation metric.
 *
 * @param patience epochs without improvement before stopping; 0 turns early stopping off
 * @param monitor {@code valid_loss} or {@code valid_accuracy}
 * @param minDelta the smallest change that counts as an improvement
 */
public record EarlyStoppingConfig(int patience, String monitor, double minDelta) {}
