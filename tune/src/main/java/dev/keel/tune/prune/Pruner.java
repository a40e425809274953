package dev.keel.tune.prune;

import java.util.List;
import java.util.Optional;

/**
 * Decides where trials pause and which paused trial goes on. A paused trial is an interrupted run
 * with a checkpoint, so going on later continues it exactly.
 */
public interface Pruner {

    /** The epochs (1-based) at which trials pause to be compared, before the last. */
    List<Integer> rungs();

    /** The epoch a trial that has trained {@code epochsDone} epochs pauses after next (its last epoch at the end). */
    int nextStop(int epochsDone);

    /** The paused trial to continue now, if the rule allows one. */
    Optional<RungTrial> promotable(List<RungTrial> trials);

    /** What the study records about its pruner, e.g. {@code asha (grace 1, reduction 4, rungs at 1, 4)}. */
    String describe();
}
