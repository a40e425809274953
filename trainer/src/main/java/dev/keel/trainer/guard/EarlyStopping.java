package dev.keel.trainer.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.trainer.config.EarlyStoppingConfig;
import dev.keel.trainer.fit.EpochResult;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.Phase;
import dev.keel.trainer.fit.StatefulCallback;
import dev.keel.trainer.metrics.EventSink;
import java.util.Map;
import java.util.Optional;

/**
 * Stops the run when the monitored validation metric has not improved by more than
 * {@code minDelta} for {@code patience} epochs. The stop is recorded; the run ends as stopped.
 */
public final class EarlyStopping implements StatefulCallback {
    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final EventSink events;
    private double best = Double.NaN;
    private int badEpochs;

    /** @param monitor {@code valid_loss} (lower is better) or {@code valid_accuracy} (higher is better) */
    public EarlyStopping(String monitor, int patience, double minDelta, EventSink events) {
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.events = events;
    }

    @Override
    public Phase phase() {
        return Phase.CONTROL;
    }

    @Override
    public void onEpochEnd(LoopState state, EpochResult epoch) {
        if (epoch.valid() == null) {
            return;
        }
        boolean lowerIsBetter = monitor.endsWith("loss");
        double value = lowerIsBetter ? epoch.valid().loss() : epoch.valid().accuracy();
        boolean improved = Double.isNaN(best) || (lowerIsBetter ? value < best - minDelta : value > best + minDelta);
        if (improved) {
            best = value;
            badEpochs = 0;
            return;
        }
        badEpochs++;
        if (badEpochs >= patience && epoch.epoch() + 1 < state.epochs()) {
            String reason = String.format("early stopping: %s has not improved on %.4f for %d epoch(s)", monitor,
                    best, badEpochs);
            events.event("early_stop", state, Map.of("monitor", monitor, "best", best, "reason", reason));
            state.requestStop(FitStatus.STOPPED, reason);
        }
    }

    @Override
    public String stateKey() {
        return "early_stopping";
    }

    @Override
    public JsonNode saveState() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (Double.isNaN(best)) {
            json.putNull("best");
        } else {
            json.put("best", best);
        }
        return json.put("bad_epochs", badEpochs);
    }

    @Override
    public void loadState(JsonNode state) {
        JsonNode saved = state.get("best");
        best = saved == null || saved.isNull() ? Double.NaN : saved.asDouble();
        badEpochs = state.path("bad_epochs").asInt(0);
    }

    /** Early stopping as {@code early_stopping} asks for it; nothing when its patience is 0 (off). */
    public static Optional<EarlyStopping> of(EarlyStoppingConfig config, EventSink events) {
        return config.patience() > 0
                ? Optional.of(new EarlyStopping(config.monitor(), config.patience(), config.minDelta(), events))
                : Optional.empty();
    }
}
