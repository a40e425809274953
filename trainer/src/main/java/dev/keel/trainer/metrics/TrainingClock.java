package dev.keel.trainer.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.keel.trainer.fit.FitResult;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.StatefulCallback;

/**
 * The run's training time over every process that trained it. Checkpoints keep the time spent up to
 * them, so a run killed and resumed counts the time of the steps it kept, not of the steps it lost
 * and trained again: it reports what the same run uninterrupted would, within the noise of timing.
 */
public final class TrainingClock implements StatefulCallback {
    private double previous;
    private long start;
    private boolean running;
    private double thisProcess;

    /** Training time so far: the earlier processes' up to the checkpoint resumed from, and this one's. */
    public double seconds() {
        return previous + (running ? (System.nanoTime() - start) / 1e9 : thisProcess);
    }

    @Override
    public void onTrainBegin(LoopState state) {
        start = System.nanoTime();
        running = true;
    }

    /** This process's share is the loop's own time, as {@link FitResult#seconds()} gives it. */
    @Override
    public void onTrainEnd(LoopState state, FitResult result) {
        thisProcess = result.seconds();
        running = false;
    }

    @Override
    public String stateKey() {
        return "training_clock";
    }

    @Override
    public JsonNode saveState() {
        return JsonNodeFactory.instance.objectNode().put("train_seconds", seconds());
    }

    @Override
    public void loadState(JsonNode state) {
        previous = state.path("train_seconds").asDouble(0);
    }
}
