package dev.keel.trainer.precision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.Phase;
import dev.keel.trainer.fit.StatefulCallback;
import dev.keel.trainer.metrics.EventSink;
import java.util.Map;

/**
 * Dynamic loss scaling, as PyTorch's {@code GradScaler}: the loss is multiplied by the scale before
 * the float16 backward pass so that small gradients do not vanish below float16's range; a step
 * whose gradients overflowed (Inf or NaN) is skipped and halves the scale, and every
 * {@code growthInterval} clean steps in a row double it. The scale and the clean-step count are
 * checkpointed, so a resumed run scales exactly as the run it continues.
 */
public final class LossScaler implements StatefulCallback {
    /** PyTorch's {@code GradScaler} default: clean steps in a row before the scale doubles. */
    public static final int GROWTH_INTERVAL = 2000;

    private final int growthInterval;
    private final EventSink events;
    private double scale;
    private int cleanSteps;

    /**
     * @param initialScale the scale of the first step
     * @param growthInterval clean steps in a row after which the scale doubles
     */
    public LossScaler(double initialScale, int growthInterval, EventSink events) {
        if (!(initialScale > 0) || Double.isInfinite(initialScale)) {
            throw new IllegalArgumentException("initial scale must be positive and finite, got " + initialScale);
        }
        if (growthInterval < 1) {
            throw new IllegalArgumentException("growthInterval must be at least 1, got " + growthInterval);
        }
        this.scale = initialScale;
        this.growthInterval = growthInterval;
        this.events = events;
    }

    /** The factor the next step's loss is multiplied by. */
    public double scale() {
        return scale;
    }

    /** Clean steps since the last overflow or growth. */
    public int cleanSteps() {
        return cleanSteps;
    }

    /** A step whose scaled gradients overflowed: it is skipped and the scale halves. */
    public void overflowed(LoopState state) {
        scale /= 2;
        cleanSteps = 0;
        events.event("overflow", state, Map.of("loss_scale", scale));
    }

    /** A step whose gradients are all finite; the scale doubles after {@code growthInterval} of them in a row. */
    public void stepped(LoopState state) {
        cleanSteps++;
        if (cleanSteps == growthInterval) {
            cleanSteps = 0;
            scale *= 2;
            events.event("loss_scale", state, Map.of("loss_scale", scale));
        }
    }

    @Override
    public Phase phase() {
        return Phase.CONTROL;
    }

    @Override
    public String stateKey() {
        return "loss_scaler";
    }

    @Override
    public JsonNode saveState() {
        return JsonNodeFactory.instance.objectNode().put("scale", scale).put("clean_steps", cleanSteps);
    }

    @Override
    public void loadState(JsonNode state) {
        scale = state.path("scale").asDouble(scale);
        cleanSteps = state.path("clean_steps").asInt(0);
    }
}
