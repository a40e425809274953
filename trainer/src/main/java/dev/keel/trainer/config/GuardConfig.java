package dev.keel.trainer.config;

/**
 * Guards against divergence.
 *
 * @param clipGradNorm clip gradients to this global L2 norm; 0 turns clipping off
 * @param lrCut factor on the learning rate after each rollback to the last good checkpoint
 * @param maxRollbacks rollbacks allowed before the run stops as failed (exit code 3)
 */
public record GuardConfig(double clipGradNorm, double lrCut, int maxRollbacks) {}
