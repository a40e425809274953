package dev.keel.trainer.fit;

/**
 * The state of one parameter group at a step: what the metrics record of discriminative rates and
 * freezing.
 *
 * @param name the group's name
 * @param learningRate the rate its parameters are updated with
 * @param frozen whether its parameters are left unchanged
 */
public record GroupRate(String name, double learningRate, boolean frozen) {}
