package dev.keel.tune.prune;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Asynchronous successive halving (Li et al., 2020): rungs at {@code grace x reduction^k} epochs
 * below the last. Every trial pauses at each rung; a paused trial goes on to the next rung once it
 * ranks in the top {@code 1/reduction} of all trials that reached its rung (ties go to the lower
 * number), the highest rung first, while fewer than {@code 1/reduction} of them have gone on. That
 * bound keeps the epochs a study trains to those of synchronous successive halving even when a
 * sampler proposes better trials as it learns (each would otherwise enter the top and go on).
 * Unlike a pruner that stops trials for good, a trial that falls behind early can still be
 * continued when later trials rank below it.
 */
public final class Asha implements Pruner {
    private final int grace;
    private final int reduction;
    private final int maxEpochs;
    private final List<Integer> rungs;

    public Asha(int grace, int reduction, int maxEpochs) {
        if (grace < 1 || reduction < 2 || maxEpochs < 1) {
            throw new IllegalArgumentException("grace >= 1, reduction >= 2 and maxEpochs >= 1 expected");
        }
        this.grace = grace;
        this.reduction = reduction;
        this.maxEpochs = maxEpochs;
        List<Integer> at = new ArrayList<>();
        for (long rung = grace; rung < maxEpochs; rung *= reduction) {
            at.add((int) rung);
        }
        this.rungs = List.copyOf(at);
    }

    @Override
    public List<Integer> rungs() {
        return rungs;
    }

    @Override
    public int nextStop(int epochsDone) {
        return rungs.stream().filter(rung -> rung > epochsDone).findFirst().orElse(maxEpochs);
    }

    @Override
    public Optional<RungTrial> promotable(List<RungTrial> trials) {
        for (int k = rungs.size() - 1; k >= 0; k--) {
            int rung = rungs.get(k);
            List<RungTrial> reached = trials.stream().filter(t -> t.valueAtEpoch().containsKey(rung))
                    .sorted(Comparator.comparingDouble((RungTrial t) -> t.valueAtEpoch().get(rung))
                            .thenComparingInt(RungTrial::number))
                    .toList();
            int top = reached.size() / reduction;
            long goneOn = reached.stream().filter(t -> t.epochsDone() > rung || t.running() && t.epochsDone() == rung)
                    .count();
            if (goneOn >= top) {
                continue;
            }
            for (RungTrial trial : reached.subList(0, top)) {
                if (trial.paused() && trial.epochsDone() == rung) {
                    return Optional.of(trial);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "asha (grace " + grace + ", reduction " + reduction + ", rungs at epoch"
                + (rungs.size() == 1 ? " " : "s ") + rungs.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + ", last " + maxEpochs + ")";
    }
}
