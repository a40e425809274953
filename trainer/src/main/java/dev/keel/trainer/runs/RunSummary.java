package dev.keel.trainer.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.trainer.fit.FitStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a run's {@code summary.json} says, each value null where the file lacks it or holds
 * something else than a number there.
 */
record RunSummary(String status, Long epochs, Long steps, Double wallSeconds, Double trainSeconds,
        Double validAccuracy, Double validLoss, Double testAccuracy, Double testLoss) {
    /** A run without a readable summary. */
    static final RunSummary NONE = new RunSummary(null, null, null, null, null, null, null, null, null);

    static RunSummary of(JsonNode summary) {
        if (summary == null) {
            return NONE;
        }
        JsonNode status = summary.path("status");
        return new RunSummary(status.isTextual() ? status.asText() : null, integer(summary.path("epochs")),
                integer(summary.path("steps")), number(summary.path("wall_seconds")),
                number(summary.path("train_seconds")), number(summary.at("/valid/accuracy")),
                number(summary.at("/valid/loss")), number(summary.at("/test/accuracy")),
                number(summary.at("/test/loss")));
    }

    /** Whether the status is one a Keel run writes. */
    boolean knownStatus() {
        return Arrays.stream(FitStatus.values()).anyMatch(s -> s.label().equals(status));
    }

    /**
     * Keys that today's Keel always writes for a run that ended this way and this summary lacks:
     * an older Keel (or a hand) wrote it.
     */
    List<String> missingKeys() {
        List<String> missing = new ArrayList<>();
        if (epochs == null) {
            missing.add("epochs");
        }
        if (steps == null) {
            missing.add("steps");
        }
        if (wallSeconds == null) {
            missing.add("wall_seconds");
        }
        boolean tested = FitStatus.COMPLETED.label().equals(status) || FitStatus.STOPPED.label().equals(status);
        if (tested && testAccuracy == null) {
            missing.add("test");
        }
        return missing;
    }

    static Long integer(JsonNode node) {
        return node.isIntegralNumber() ? node.asLong() : null;
    }

    static Double number(JsonNode node) {
        return node.isNumber() ? node.asDouble() : null;
    }
}
