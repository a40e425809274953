package dev.keel.trainer.config;

/**
 * What the interpretation of a model's predictions shows.
 *
 * @param topLosses how many of the highest-loss items to list (and draw, for images)
 * @param reviewBelow predictions with a confidence below this go to the review queue
 *     ({@code interpret/review.csv}) and are marked by {@code keel predict}
 */
public record InterpretConfig(int topLosses, double reviewBelow) {}
