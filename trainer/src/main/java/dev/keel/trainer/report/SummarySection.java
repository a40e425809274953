package dev.keel.trainer.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/** How the run ended, from summary.json: status, epochs and steps, times, validation and test results. */
final class SummarySection {
    /** The statuses the page colours; any other shows plain. */
    private static final Set<String> OUTCOMES = Set.of("completed", "stopped", "failed", "interrupted");

    private SummarySection() {}

    /** @param summary summary.json, or null when the run has none */
    static void render(Html html, JsonNode summary) {
        html.heading("Summary");
        if (summary == null) {
            html.paragraph("No summary: the run has not finished, or was killed before it could record how it "
                    + "ended.");
            return;
        }
        String status = Format.text(summary.path("status"));
        String reason = summary.hasNonNull("reason") ? ": " + summary.get("reason").asText() : "";
        html.element("p", "status " + (OUTCOMES.contains(status) ? status : "other"), status + reason);
        html.pairs(List.of(
                List.of("epochs", Format.count(summary.path("epochs"))),
                List.of("steps", Format.count(summary.path("steps"))),
                List.of("wall time", Format.seconds(summary.path("wall_seconds"))),
                List.of("training time", Format.seconds(summary.path("train_seconds"))),
                List.of("valid accuracy", Format.percent(summary.path("valid").path("accuracy"))),
                List.of("valid loss", Format.decimal(summary.path("valid").path("loss"))),
                List.of("test accuracy", Format.percent(summary.path("test").path("accuracy"))),
                List.of("test loss", Format.decimal(summary.path("test").path("loss")))));
    }
}
