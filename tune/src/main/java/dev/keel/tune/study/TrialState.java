package dev.keel.tune.study;

/** Where a trial stands in its study. */
public enum TrialState {
    /** Training now, or proposed and waiting for a slot. */
    RUNNING,
    /** Stopped at a rung by the pruner, with a checkpoint: the pruner may continue it later. */
    PAUSED,
    /** Trained to its last epoch (or stopped early by its own early stopping). */
    COMPLETE,
    /** Paused when the study ended: never continued. Samplers count it as Optuna counts pruned trials. */
    PRUNED,
    /** Could not train: its reason is recorded. */
    FAILED
}
