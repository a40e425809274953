package dev.keel.trainer.runs;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A folder under the studies root as it is now, read without trusting any of it: only its
 * {@code study.json}, which {@code keel tune} rewrites after every trial's report. The study may be
 * searching, killed half-way, or not a study at all.
 *
 * @param dir the folder
 * @param study {@code study.json}
 * @param locked whether a process holds the folder's lock: {@code keel tune} searches there now
 */
record StudyFolder(Path dir, RunFile study, boolean locked) {
    static final String STUDY_JSON = "study.json";
    /** The files {@code keel tune} writes first; a folder with none of them is not a study. */
    private static final List<String> STUDY_FILES = List.of(STUDY_JSON, "study.db");
    /** The statuses study.json holds. */
    private static final Set<String> STATUSES = Set.of("running", "finished", "interrupted");
    /** The trial states a study counts, those always shown first. */
    private static final List<String> SHOWN = List.of("complete", "pruned", "failed");

    static StudyFolder read(Path dir) {
        return new StudyFolder(dir, RunFile.json(dir, STUDY_JSON), LockProbe.held(dir));
    }

    /** The study's id: its folder's name. */
    String id() {
        return dir.getFileName().toString();
    }

    /** Whether {@code keel tune} wrote here. */
    boolean isStudy() {
        return STUDY_FILES.stream().anyMatch(name -> Files.exists(dir.resolve(name)));
    }

    /**
     * {@code running} while a process holds the folder, else study.json's status ({@code finished},
     * {@code interrupted}), or what keeps it from having one ({@code incomplete: ...},
     * {@code unreadable: ...}).
     */
    String status() {
        if (locked) {
            return "running";
        }
        if (study.absent()) {
            return "incomplete: no " + STUDY_JSON;
        }
        if (study.unreadable()) {
            return "unreadable: " + STUDY_JSON + ": " + study.problem();
        }
        JsonNode status = study.at("/status");
        if (!status.isTextual()) {
            return "unreadable: " + STUDY_JSON + ": no status";
        }
        if (!STATUSES.contains(status.asText())) {
            return "unreadable: " + STUDY_JSON + ": unknown status \"" + status.asText() + "\"";
        }
        // Written while the study ran, and no process holds it now: it was killed, or crashed.
        return status.asText().equals("running") ? "incomplete: killed while running" : status.asText();
    }

    /** {@code 12: 3 complete, 8 pruned, 1 failed}, and trials paused or running when some are; "-" when unknown. */
    String trials() {
        JsonNode total = study.at("/trials");
        JsonNode states = study.at("/states");
        if (!total.isIntegralNumber() || !states.isObject()) {
            return "-";
        }
        List<String> counts = new ArrayList<>();
        for (String state : SHOWN) {
            counts.add(states.path(state).asLong() + " " + state);
        }
        states.fields().forEachRemaining(entry -> {
            if (!SHOWN.contains(entry.getKey()) && entry.getValue().asLong() > 0) {
                counts.add(entry.getValue().asLong() + " " + entry.getKey());
            }
        });
        return total.asLong() + ": " + String.join(", ", counts);
    }

    /** {@code valid_accuracy 0.9123 (trial 7)}; "-" before a trial completed. */
    String best() {
        JsonNode value = study.at("/best/value");
        JsonNode trial = study.at("/best/trial");
        if (!value.isNumber() || !trial.isIntegralNumber()) {
            return "-";
        }
        String objective = study.at("/objective").asText("objective");
        return String.format(Locale.ROOT, "%s %.4f (trial %d)", objective, value.asDouble(), trial.asLong());
    }

    /** {@code 34 of 160}: epochs trained of the trials' epochs without pruning; "-" when unknown. */
    String epochs() {
        JsonNode trained = study.at("/epochs_trained");
        if (!trained.isIntegralNumber()) {
            return "-";
        }
        JsonNode max = study.at("/max_epochs");
        JsonNode trials = study.at("/trials");
        return max.isIntegralNumber() && trials.isIntegralNumber()
                ? trained.asLong() + " of " + max.asLong() * trials.asLong() : Long.toString(trained.asLong());
    }
}
