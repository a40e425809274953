package dev.keel.trainer.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.keel.trainer.checkpoint.Checkpoint;
import dev.keel.trainer.checkpoint.CheckpointCallback;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.fit.Gradients;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.Phase;
import dev.keel.trainer.fit.StatefulCallback;
import dev.keel.trainer.metrics.EventSink;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Catches a NaN or infinite loss or gradient in the step where it happens, before the optimizer
 * applies it; rolls the run back to the last good checkpoint, multiplies the learning rate by
 * {@code lrCut}, and goes on. After {@code maxRollbacks} rollbacks it stops the run as failed.
 * Every rollback and the final failure are recorded.
 */
public final class DivergenceGuard implements StatefulCallback {
    private final double lrCut;
    private final int maxRollbacks;
    private final Supplier<java.util.Optional<Checkpoint>> latest;
    private final Function<Checkpoint, LoopState.Position> restore;
    private final EventSink events;
    private int rollbacks;

    /**
     * @param latest finds the newest good checkpoint
     * @param restore loads a checkpoint's weights and optimizer state and returns its position
     */
    public DivergenceGuard(double lrCut, int maxRollbacks, Supplier<java.util.Optional<Checkpoint>> latest,
            Function<Checkpoint, LoopState.Position> restore, EventSink events) {
        this.lrCut = lrCut;
        this.maxRollbacks = maxRollbacks;
        this.latest = latest;
        this.restore = restore;
        this.events = events;
    }

    /** Rollbacks so far. */
    public int rollbacks() {
        return rollbacks;
    }

    @Override
    public Phase phase() {
        return Phase.CONTROL;
    }

    @Override
    public void onGradients(LoopState state, Gradients gradients) {
        if (gradients.isFinite()) {
            return;
        }
        String what = Double.isFinite(gradients.loss()) ? "gradient norm " + gradients.globalNorm()
                : "loss " + gradients.loss();
        state.skipUpdate();
        if (rollbacks >= maxRollbacks) {
            String reason = String.format("diverged: %s at step %d after %d rollback(s) (guard.max_rollbacks)", what,
                    state.globalStep() + 1, rollbacks);
            events.event("diverged", state, Map.of("reason", reason, "rollbacks", rollbacks));
            state.requestStop(FitStatus.FAILED, reason);
            return;
        }
        Checkpoint checkpoint = latest.get().orElse(null);
        if (checkpoint == null) {
            state.requestStop(FitStatus.FAILED, "diverged: " + what + " at step " + (state.globalStep() + 1)
                    + " and no checkpoint to roll back to");
            return;
        }
        rollbacks++;
        LoopState.Position position = restore.apply(checkpoint);
        JsonNode saved = checkpoint.state();
        state.restoreEpochLoss(saved.get("epoch_loss_sum").asDouble(), saved.get("epoch_loss_count").asInt());
        double scale = state.learningRateScale() * lrCut;
        state.setLearningRateScale(scale);
        events.event("rollback", state, Map.of("reason", what, "to_step", checkpoint.globalStep(),
                "lr_scale", scale, "rollbacks", rollbacks));
        state.jumpTo(position);
    }

    @Override
    public String stateKey() {
        return "divergence_guard";
    }

    @Override
    public JsonNode saveState() {
        return JsonNodeFactory.instance.objectNode().put("rollbacks", rollbacks);
    }

    @Override
    public void loadState(JsonNode state) {
        rollbacks = state.path("rollbacks").asInt(0);
    }
}
