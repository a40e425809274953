package dev.keel.trainer.metrics;

import dev.keel.trainer.fit.LoopState;
import java.util.Map;

/** Where callbacks record what they did (a clip, a rollback, an early stop), as lines in metrics.jsonl. */
@FunctionalInterface
public interface EventSink {
    /** Records an event of {@code kind} at the loop's current position, with its fields. */
    void event(String kind, LoopState state, Map<String, ?> fields);

    /** A sink that drops everything. */
    EventSink NONE = (kind, state, fields) -> { };
}
