package dev.keel.tune.sampler;

import dev.keel.tune.study.TrialState;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a sampler learns from one earlier trial.
 *
 * @param number the trial's number (0-based)
 * @param params the trial's values, in their internal form (see {@link dev.keel.tune.space.Distribution})
 * @param state where the trial stands; {@code RUNNING} trials are the constant liar's pending ones
 * @param value the final objective of a {@code COMPLETE} trial, else null
 * @param intermediate the objective after each epoch reported so far (epoch, 1-based, to value)
 */
public record TrialHistory(int number, Map<String, Double> params, TrialState state, Double value,
        SortedMap<Integer, Double> intermediate) {
    public TrialHistory {
        params = Map.copyOf(params);
        intermediate = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(intermediate));
    }
}
