package dev.keel.tune.prune;

import java.util.Map;

/**
 * A trial as a pruner sees it.
 *
 * @param number the trial's number
 * @param paused whether it is paused (not training, not finished)
 * @param running whether it is training now
 * @param epochsDone the epochs it has trained
 * @param valueAtEpoch its objective after each epoch trained, turned so that lower is better
 */
public record RungTrial(int number, boolean paused, boolean running, int epochsDone,
        Map<Integer, Double> valueAtEpoch) {
    public RungTrial {
        valueAtEpoch = Map.copyOf(valueAtEpoch);
    }
}
