package dev.keel.trainer.runs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * A run's status in a word or a short phrase: summary.json's status ({@code completed},
 * {@code stopped}, {@code failed}, {@code interrupted}), an lr-find run's suggestion, or what
 * keeps it from having one ({@code running}, {@code incomplete: ...}, {@code unreadable: ...}).
 */
final class RunStatus {
    private RunStatus() {}

    static String of(RunFolder run) {
        if (run.locked()) {
            return "running";
        }
        if (run.config().absent()) {
            return "incomplete: no config.yaml";
        }
        if (run.config().unreadable()) {
            return unreadable(run.config());
        }
        return run.isLrFind() ? ofLrFind(run.lrFind()) : ofTraining(run.summary());
    }

    /** No process holds the folder, so a run without summary.json ended without finishing: killed, or crashed. */
    private static String ofTraining(RunFile summary) {
        if (summary.absent()) {
            return "incomplete: no summary.json";
        }
        if (summary.unreadable()) {
            return unreadable(summary);
        }
        RunSummary values = RunSummary.of(summary.json());
        if (values.status() == null) {
            return "unreadable: summary.json: no status";
        }
        if (!values.knownStatus()) {
            return "unreadable: summary.json: unknown status \"" + values.status() + "\"";
        }
        List<String> missing = values.missingKeys();
        return missing.isEmpty() ? values.status()
                : values.status() + " (older format: no " + String.join(", ", missing) + ")";
    }

    private static String ofLrFind(RunFile lrFind) {
        if (lrFind.absent()) {
            return "incomplete: no lr_find.json";
        }
        if (lrFind.unreadable()) {
            return unreadable(lrFind);
        }
        JsonNode suggestion = lrFind.at("/suggestion");
        if (!suggestion.isNumber()) {
            String reason = lrFind.at("/stop_reason").asText("");
            return "no suggestion" + (reason.isEmpty() ? "" : " (" + reason + ")");
        }
        String by = lrFind.at("/suggested_by").asText("");
        return String.format(Locale.ROOT, "lr %.3g", suggestion.asDouble()) + (by.isEmpty() ? "" : " (" + by + ")");
    }

    private static String unreadable(RunFile file) {
        return "unreadable: " + file.name() + ": " + file.problem();
    }
}
