package dev.keel.trainer.config;

/**
 * Guards against divergence.
 *
 * @param clipGradNorm clip gradients to this global L2 norm; 0 turns clipping off
 * @param lossFactor a step loss above this many times the best smoothed loss counts as divergence; 0 turns it off
 * @param lrCut factor on the learning rate after each rollback to the last good checkpoint
 * @param maxRollbacks rollbacks allowed before the run stops as failed (exit code 3)
 */
public record GuardConfig(double clipGradNorm, double lossFactor, double lrCut, int maxRollbacks) {}
