package dev.keel.trainer.fit;

/** Moves a {@link LoopState} as the loop does, for tests of callbacks outside this package. */
public final class LoopStates {
    private LoopStates() {}

    /** Puts {@code state} at step {@code stepInEpoch} of {@code epoch}. */
    public static void moveTo(LoopState state, int epoch, int stepInEpoch) {
        state.moveTo(epoch, stepInEpoch);
    }

    /** Whether a callback asked to skip this step's update; the loop clears the request as it reads it. */
    public static boolean takeSkipUpdate(LoopState state) {
        return state.takeSkipUpdate();
    }

    /** Where a callback asked the loop to continue from, or null; the loop clears the request as it reads it. */
    public static LoopState.Position takeJump(LoopState state) {
        return state.takeJump();
    }
}
