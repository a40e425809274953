package dev.keel.trainer.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * A checkpoint on disk whose checksums hold.
 *
 * @param dir its folder
 * @param globalStep steps completed when it was written
 * @param state the loop state and callback states (state.json)
 */
public record Checkpoint(Path dir, long globalStep, JsonNode state) {
    /** The monitored metric's value, or NaN when the checkpoint was not taken at an epoch's end. */
    public double metric() {
        JsonNode metric = state.get("metric");
        return metric == null || metric.isNull() ? Double.NaN : metric.asDouble();
    }
}
