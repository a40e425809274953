package dev.keel.trainer.fit;

/**
 * Something that takes part in training without the loop knowing what it is: a schedule, a
 * logger, a guard, a checkpointer. Every event has an empty default, so a callback implements only
 * what it needs.
 *
 * <p>Events come in this order: {@code onTrainBegin}; per epoch {@code onEpochBegin}, per step
 * {@code onStepBegin} (before the forward pass), {@code onGradients} (after backward, before the
 * optimizer update) and {@code onStepEnd} (after the update), then {@code onEpochEnd} (after
 * validation); finally {@code onTrainEnd}. A mixed-precision step whose float16 gradients
 * overflowed gets no {@code onGradients} (its update is skipped), only {@code onStepEnd}. A run
 * resumed mid-epoch gets {@code onEpochBegin} for the epoch it resumes in. At each event,
 * callbacks run in the order of their {@link #phase()}, and in the order given within a phase.
 */
public interface Callback {
    /** Where this callback runs among the others at the same event. */
    default Phase phase() {
        return Phase.METRICS;
    }

    default void onTrainBegin(LoopState state) {}

    default void onEpochBegin(LoopState state) {}

    default void onStepBegin(LoopState state) {}

    default void onGradients(LoopState state, Gradients gradients) {}

    default void onStepEnd(LoopState state, StepResult step) {}

    default void onEpochEnd(LoopState state, EpochResult epoch) {}

    default void onTrainEnd(LoopState state, FitResult result) {}
}
