package dev.keel.trainer.guard;

import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.EpochResult;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.Phase;
import java.util.Optional;

/**
 * Stops the run at the end of one epoch as {@link FitStatus#INTERRUPTED}, so the checkpoint of
 * that epoch's end is where {@code keel resume} continues it, exactly as if it had never stopped.
 * A tuning study pauses its trials at their rungs this way.
 */
public final class PauseAfterEpoch implements Callback {
    private final int epoch;

    private PauseAfterEpoch(int epoch) {
        this.epoch = epoch;
    }

    /** The pause after {@code epoch} (1-based), or nothing when it is 0 or the run ends there anyway. */
    public static Optional<PauseAfterEpoch> of(int epoch, int totalEpochs) {
        return epoch > 0 && epoch < totalEpochs ? Optional.of(new PauseAfterEpoch(epoch)) : Optional.empty();
    }

    @Override
    public Phase phase() {
        return Phase.CONTROL;
    }

    @Override
    public void onEpochEnd(LoopState state, EpochResult result) {
        if (state.epoch() + 1 == epoch && !state.stopRequested()) {
            state.requestStop(FitStatus.INTERRUPTED, "paused after epoch " + epoch);
        }
    }
}
