package dev.keel.trainer.guard;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.keel.trainer.checkpoint.Checkpoint;
import dev.keel.trainer.checkpoint.CheckpointCallback;
import dev.keel.trainer.checkpoint.CheckpointStore;
import dev.keel.trainer.config.GuardConfig;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.fit.Gradients;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.Phase;
import dev.keel.trainer.fit.StatefulCallback;
import dev.keel.trainer.fit.StepResult;
import dev.keel.trainer.metrics.EventSink;
import dev.keel.trainer.metrics.SmoothedLoss;
import dev.keel.trainer.optim.KeelOptimizer;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Catches divergence in the step where it happens, before the optimizer applies it: a NaN or
 * infinite loss or gradient, or a loss above {@code lossFactor} times the best smoothed loss so far
 * (a run that explodes without ever reaching NaN) on two steps in a row: a single such step only
 * has its update skipped, as one odd batch of a small dataset can look like that. It rolls the run back to the last good
 * checkpoint, multiplies the learning rate by {@code lrCut}, and goes on. After
 * {@code maxRollbacks} rollbacks it stops the run as failed. Every rollback and the final failure
 * are recorded.
 */
public final class DivergenceGuard implements StatefulCallback {
    private final double lossFactor;
    private final double lrCut;
    private final int maxRollbacks;
    private final Supplier<java.util.Optional<Checkpoint>> latest;
    private final Function<Checkpoint, LoopState.Position> restore;
    private final EventSink events;
    private int rollbacks;
    private final SmoothedLoss smoothedLoss = new SmoothedLoss();
    private double bestSmoothed = Double.NaN;
    private boolean lastStepSpiked;
    private boolean spike;
    private final boolean beforeUpdate;

    /**
     * A guard that checks every step before its update (the loop reads every step's loss).
     *
     * @param lossFactor a loss above this many times the best smoothed loss is divergence; 0 turns the check off
     * @param latest finds the newest good checkpoint
     * @param restore loads a checkpoint's weights and optimizer state and returns its position
     */
    public DivergenceGuard(double lossFactor, double lrCut, int maxRollbacks, Supplier<java.util.Optional<Checkpoint>> latest,
            Function<Checkpoint, LoopState.Position> restore, EventSink events) {
        this(lossFactor, lrCut, maxRollbacks, latest, restore, events, true);
    }

    /**
     * @param beforeUpdate check each step's loss and gradients before its update, which makes the
     *     loop wait for the device every step; false: check the losses when the loop reads them back
     *     ({@code train.sync_every_steps} above 1), where a bad step has already been applied and a
     *     spike cannot be skipped, only rolled back on the second in a row, and a non-finite
     *     gradient shows as a non-finite loss one step later
     */
    public DivergenceGuard(double lossFactor, double lrCut, int maxRollbacks, Supplier<java.util.Optional<Checkpoint>> latest,
            Function<Checkpoint, LoopState.Position> restore, EventSink events, boolean beforeUpdate) {
        this.beforeUpdate = beforeUpdate;
        this.lossFactor = lossFactor;
        this.lrCut = lrCut;
        this.maxRollbacks = maxRollbacks;
        this.latest = latest;
        this.restore = restore;
        this.events = events;
    }

    @Override
    public Phase phase() {
        return Phase.CONTROL;
    }

    @Override
    public void onGradients(LoopState state, Gradients gradients) {
        if (!beforeUpdate) {
            return;
        }
        String what = divergence(gradients.loss(), gradients);
        if (what == null) {
            lastStepSpiked = false;
            return;
        }
        state.skipUpdate();
        react(state, what);
    }

    @Override
    public void onStepEnd(LoopState state, StepResult step) {
        if (beforeUpdate) {
            return;
        }
        // The losses arrive after their updates ran: a bad step cannot be skipped, only rolled back.
        String what = divergence(step.loss(), null);
        if (what == null) {
            lastStepSpiked = false;
            return;
        }
        react(state, what);
    }

    /** A spike right after a sound step is only recorded; anything else rolls back, or fails the run. */
    private void react(LoopState state, String what) {
        if (spike && !lastStepSpiked) {
            // One batch far above the running loss is as often an odd batch as a divergence (small
            // data, a loss near zero): its update is skipped (checked after the update: only recorded);
            // a second spike in a row rolls back.
            lastStepSpiked = true;
            events.event("spike", state, Map.of("reason", what));
            return;
        }
        lastStepSpiked = false;
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
        smoothedLoss.reset();
        LoopState.Position position = restore.apply(checkpoint);
        CheckpointCallback.restoreEpochLoss(checkpoint, state);
        double scale = state.learningRateScale() * lrCut;
        state.setLearningRateScale(scale);
        events.event("rollback", state, Map.of("reason", what, "to_step", checkpoint.globalStep(),
                "lr_scale", scale, "rollbacks", rollbacks));
        state.jumpTo(position);
    }

    /**
     * What diverged, or null when the step is sound; a sound step updates the smoothed loss.
     *
     * @param gradients the step's gradients, or null where they are gone (checked after the update)
     */
    private String divergence(double loss, Gradients gradients) {
        spike = false;
        if (!Double.isFinite(loss)) {
            return "loss " + loss;
        }
        if (lossFactor > 0 && !Double.isNaN(bestSmoothed) && loss > lossFactor * bestSmoothed) {
            spike = true;
            return String.format("loss %.4g above %.0fx the best smoothed loss %.4g", loss, lossFactor, bestSmoothed);
        }
        if (gradients != null && !Double.isFinite(gradients.globalNorm())) {
            return "gradient norm " + gradients.globalNorm();
        }
        double smoothed = smoothedLoss.add(loss);
        if (Double.isNaN(bestSmoothed) || smoothed < bestSmoothed) {
            bestSmoothed = smoothed;
        }
        return null;
    }

    @Override
    public String stateKey() {
        return "divergence_guard";
    }

    @Override
    public JsonNode saveState() {
        return JsonNodeFactory.instance.objectNode().put("rollbacks", rollbacks).put("average", smoothedLoss.average())
                .put("averaged", smoothedLoss.count()).put("best_smoothed", bestSmoothed)
                .put("last_step_spiked", lastStepSpiked);
    }

    @Override
    public void loadState(JsonNode state) {
        rollbacks = state.path("rollbacks").asInt(0);
        smoothedLoss.restore(state.path("average").asDouble(0), state.path("averaged").asInt(0));
        bestSmoothed = state.path("best_smoothed").asDouble(Double.NaN);
        lastStepSpiked = state.path("last_step_spiked").asBoolean(false);
    }

    /**
     * The guard as {@code guard} configures it, rolling back to {@code store}'s newest checkpoint
     * by restoring its weights into {@code block} and its state into {@code optimizer}.
     *
     * @param beforeUpdate whether the loop reads every step's loss ({@code train.sync_every_steps: 1})
     */
    public static DivergenceGuard of(GuardConfig guard, boolean beforeUpdate, CheckpointStore store, Block block,
            KeelOptimizer optimizer, NDManager manager, EventSink events) {
        return new DivergenceGuard(guard.lossFactor(), guard.lrCut(), guard.maxRollbacks(), store::latest,
                checkpoint -> {
                    store.restore(checkpoint, block, optimizer, manager);
                    return CheckpointCallback.position(checkpoint);
                }, events, beforeUpdate);
    }
}
