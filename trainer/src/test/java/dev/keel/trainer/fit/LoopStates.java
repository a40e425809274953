package dev.keel.trainer.fit;

/** Moves a {@link LoopState} as the loop does, for tests of callbacks outside this package. */
public final class LoopStates {
    private LoopStates() {}

    /** Puts {@code state} at step {@code stepInEpoch} of {@code epoch}. */
    public static void moveTo(LoopState state, int epoch, int stepInEpoch) {
        state.moveTo(epoch, stepInEpoch);
    }
}
