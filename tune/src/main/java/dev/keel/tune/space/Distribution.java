package dev.keel.tune.space;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where one hyperparameter's values are drawn from. Samplers see every value as a double, its
 * internal form as in Optuna: the value itself for numbers, the index into the list for a
 * {@link Choice}; {@link #configValue} turns it into what the config key gets.
 */
public sealed interface Distribution permits Uniform, LogUniform, IntRange, Choice {

    /** The config value of the internal value {@code internal}: a number, or the chosen YAML value. */
    JsonNode configValue(double internal);

    /** Whether {@code internal} is a value of this distribution. */
    boolean contains(double internal);
}
