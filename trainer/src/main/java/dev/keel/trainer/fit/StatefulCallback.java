package dev.keel.trainer.fit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A callback whose state must survive a resume (a guard's rollback count, early stopping's best
 * value): checkpoints store it under {@link #stateKey()} and give it back on resume.
 */
public interface StatefulCallback extends Callback {
    /** The key under which checkpoints store this callback's state; unique in a run. */
    String stateKey();

    /** The state to store, as JSON. */
    JsonNode saveState();

    /** Restores state written by {@link #saveState()}. */
    void loadState(JsonNode state);
}
