package dev.keel.trainer.fit;

/**
 * Loss and accuracy of a model over a dataset split.
 *
 * @param loss mean cross-entropy per item
 * @param accuracy share of items whose top class is right, in [0, 1]
 * @param items how many items were evaluated
 */
public record EvalResult(double loss, double accuracy, int items) {}
