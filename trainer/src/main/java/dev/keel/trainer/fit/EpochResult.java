package dev.keel.trainer.fit;

/**
 * What one epoch produced.
 *
 * @param epoch the 0-based epoch that ended
 * @param trainLoss mean training loss over the epoch's steps
 * @param valid the evaluation on the validation split, or null when there is none
 * @param seconds wall time of the epoch, evaluation included
 */
public record EpochResult(int epoch, double trainLoss, EvalResult valid, double seconds) {}
