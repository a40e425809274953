package dev.keel.tune.sampler;

import java.util.List;
import java.util.Map;

/**
 * Proposes the values of the next trial from those before it (ask and tell). Proposals are a pure
 * function of the study's seed, the trial's number and the history given, so a resumed study
 * proposes what the uninterrupted one would have.
 */
public interface Sampler {

    /**
     * The values of trial {@code number}, in their internal form, keyed by config key path.
     *
     * @param history every trial before it, running ones included
     */
    Map<String, Double> propose(int number, List<TrialHistory> history);
}
