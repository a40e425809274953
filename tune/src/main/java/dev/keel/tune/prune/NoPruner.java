package dev.keel.tune.prune;

import java.util.List;
import java.util.Optional;

/** Every trial trains to its last epoch. */
public record NoPruner(int maxEpochs) implements Pruner {
    @Override
    public List<Integer> rungs() {
        return List.of();
    }

    @Override
    public int nextStop(int epochsDone) {
        return maxEpochs;
    }

    @Override
    public Optional<RungTrial> promotable(List<RungTrial> trials) {
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "none (every trial trains " + maxEpochs + " epochs)";
    }
}
