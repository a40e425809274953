package dev.keel.trainer.predict;

/**
 * The model's answer for one input.
 *
 * @param input the file (and line, for a table row)
 * @param predicted the most probable class
 * @param confidence its probability
 * @param probabilities every class's probability, in class order
 */
public record Prediction(String input, String predicted, double confidence, double[] probabilities) {}
