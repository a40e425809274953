package dev.keel.trainer.checkpoint;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.trainer.config.CheckpointConfig;
import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.EpochResult;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.Phase;
import dev.keel.trainer.fit.StatefulCallback;
import dev.keel.trainer.fit.StepResult;
import dev.keel.trainer.optim.KeelOptimizer;
import java.util.List;

/**
 * Writes a checkpoint at the start of a fresh run, every {@code everySteps} steps, at the end of
 * every epoch and after the step at which a run is interrupted, then prunes to the newest {@code keepLast} and the {@code keepBest} best by the
 * monitored validation metric. A checkpoint holds what an exact resume needs: weights, optimizer
 * state, the next position, the running epoch loss, the learning-rate scale and the state of every
 * {@link StatefulCallback}. (Data order and dropout are pure functions of seed and step, so they
 * need no saved state.)
 */
public final class CheckpointCallback implements Callback {
    private final CheckpointStore store;
    private final Block block;
    private final KeelOptimizer optimizer;
    private final NDManager manager;
    private final Settings settings;
    private final List<StatefulCallback> stateful;
    private final boolean fresh;

    /**
     * Checkpoint settings.
     *
     * @param everySteps steps between checkpoints
     * @param keepLast how many of the newest checkpoints to keep
     * @param keepBest how many of the best epoch checkpoints to keep
     * @param monitor {@code valid_loss} (lower is better) or {@code valid_accuracy}
     */
    public record Settings(int everySteps, int keepLast, int keepBest, String monitor) {
        boolean lowerIsBetter() {
            return monitor.endsWith("loss");
        }
    }

    /**
     * @param stateful the callbacks whose state each checkpoint stores
     * @param fresh whether the run starts from scratch (it then saves its starting point first)
     */
    public CheckpointCallback(CheckpointStore store, Block block, KeelOptimizer optimizer, NDManager manager,
            Settings settings, List<StatefulCallback> stateful, boolean fresh) {
        this.store = store;
        this.block = block;
        this.optimizer = optimizer;
        this.manager = manager;
        this.settings = settings;
        this.stateful = List.copyOf(stateful);
        this.fresh = fresh;
    }

    @Override
    public Phase phase() {
        return Phase.CHECKPOINT;
    }

    @Override
    public void onTrainBegin(LoopState state) {
        if (fresh) {
            save(0, 0, 0, 0, 0, state, Double.NaN);
        }
    }

    @Override
    public void onStepEnd(LoopState state, StepResult step) {
        long done = state.globalStep() + 1;
        // An interrupted run stops after this step: save where it stands, so resume loses nothing.
        // A step announced after later steps ran is not where the weights are: never saved.
        if (step.weightsCurrent() && (done % settings.everySteps() == 0 || state.stopStatus() == FitStatus.INTERRUPTED)) {
            save(done, state.epoch(), state.stepInEpoch() + 1, state.epochLossSum(), state.epochLossCount(), state,
                    Double.NaN);
        }
    }

    @Override
    public void onEpochEnd(LoopState state, EpochResult epoch) {
        double metric = Double.NaN;
        if (epoch.valid() != null) {
            metric = settings.monitor().equals("valid_accuracy") ? epoch.valid().accuracy() : epoch.valid().loss();
        }
        save(state.globalStep() + 1, state.epoch() + 1, 0, 0, 0, state, metric);
    }

    private void save(long done, int epoch, int stepInEpoch, double lossSum, int lossCount, LoopState state,
            double metric) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.putObject("position").put("epoch", epoch).put("step_in_epoch", stepInEpoch);
        json.put("epoch_loss_sum", lossSum);
        json.put("epoch_loss_count", lossCount);
        json.put("lr_scale", state.learningRateScale());
        if (Double.isNaN(metric)) {
            json.putNull("metric");
        } else {
            json.put("metric", metric);
        }
        json.put("monitor", settings.monitor());
        ObjectNode callbacks = json.putObject("callbacks");
        for (StatefulCallback callback : stateful) {
            callbacks.set(callback.stateKey(), callback.saveState());
        }
        store.save(done, block, optimizer, json, manager);
        store.prune(settings.keepLast(), settings.keepBest(), settings.lowerIsBetter());
    }

    /** Puts a checkpoint's loop state back: epoch loss, learning-rate scale, callback states. */
    public static LoopState.Position restoreLoop(Checkpoint checkpoint, LoopState state,
            List<StatefulCallback> stateful) {
        JsonNode json = checkpoint.state();
        restoreEpochLoss(checkpoint, state);
        state.setLearningRateScale(json.get("lr_scale").asDouble());
        JsonNode callbacks = json.get("callbacks");
        for (StatefulCallback callback : stateful) {
            JsonNode saved = callbacks.get(callback.stateKey());
            if (saved != null) {
                callback.loadState(saved);
            }
        }
        return position(checkpoint);
    }

    /** Puts a checkpoint's running epoch loss back, so the epoch's mean comes out as if never interrupted. */
    public static void restoreEpochLoss(Checkpoint checkpoint, LoopState state) {
        JsonNode json = checkpoint.state();
        state.restoreEpochLoss(json.get("epoch_loss_sum").asDouble(), json.get("epoch_loss_count").asInt());
    }

    /** The next step a checkpoint continues with. */
    public static LoopState.Position position(Checkpoint checkpoint) {
        JsonNode position = checkpoint.state().get("position");
        return new LoopState.Position(position.get("epoch").asInt(), position.get("step_in_epoch").asInt());
    }

    /** Checkpoints as {@code checkpoint} configures them. */
    public static CheckpointCallback of(CheckpointConfig checkpoint, CheckpointStore store, Block block,
            KeelOptimizer optimizer, NDManager manager, List<StatefulCallback> stateful, boolean fresh) {
        return new CheckpointCallback(store, block, optimizer, manager, new Settings(checkpoint.everySteps(),
                checkpoint.keepLast(), checkpoint.keepBest(), checkpoint.monitor()), stateful, fresh);
    }
}
