package dev.keel.tune.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.trainer.plot.BestEffort;
import dev.keel.trainer.track.CsvWriter;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.tune.prune.Pruner;
import dev.keel.tune.space.SearchSpace;
import dev.keel.tune.study.Objective;
import dev.keel.tune.study.Study;
import dev.keel.tune.study.Trial;
import dev.keel.tune.study.TrialState;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The study's files beside its store, rewritten after every report: {@code trials.csv} (one row per
 * trial), {@code study.json} (where it stands, for {@code keel runs}), once a trial completed
 * {@code best.yaml}: the best trial's full config, runnable with {@code keel train}, and
 * {@code study.html} ({@link StudyReport}).
 */
public final class StudyFiles {
    public static final String TRIALS_CSV = "trials.csv";
    public static final String STUDY_JSON = "study.json";
    public static final String BEST_YAML = "best.yaml";
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private final Path folder;
    private final String name;
    private final SearchSpace space;
    private final Objective objective;
    private final int maxEpochs;
    private final StudyReport report;
    private final PrintStream out;
    /** Whether the last study.html failed: its warning was given. */
    private boolean reportFailed;

    /**
     * @param setup what the study trains with
     * @param name the study's name
     * @param pruner the study's pruner, for study.html
     * @param out where a warning goes when study.html cannot be written
     */
    public StudyFiles(Study.Setup setup, String name, Pruner pruner, PrintStream out) {
        this.folder = setup.folder();
        this.name = name;
        this.space = setup.space();
        this.objective = setup.settings().objective();
        this.maxEpochs = setup.maxEpochs();
        this.report = new StudyReport(setup, name, pruner);
        this.out = out;
    }

    /** The completed trial with the best objective (the lower number on a tie), if any. */
    public static Optional<Trial> best(List<Trial> trials, Objective objective) {
        return trials.stream().filter(t -> t.state() == TrialState.COMPLETE && t.value() != null
                        && !Double.isNaN(t.value()))
                .min(Comparator.comparingDouble((Trial t) -> objective.direction().lowerIsBetter(t.value()))
                        .thenComparingInt(Trial::number));
    }

    /**
     * Writes the files for {@code outcome}. study.html is a view of the others: a failure to draw it
     * (a JDK without fonts, a full disk) costs the study one warning, not its trials.
     */
    public void write(Study.Outcome outcome) {
        writeCsv(outcome.trials());
        Optional<Trial> best = best(outcome.trials(), objective);
        ObjectNode json = RunDirectory.JSON.createObjectNode();
        json.put("name", name);
        json.put("status", outcome.status());
        json.put("objective", objective.metric());
        json.put("direction", objective.direction().name().toLowerCase(Locale.ROOT));
        json.put("trials", outcome.trials().size());
        ObjectNode states = json.putObject("states");
        for (TrialState state : TrialState.values()) {
            states.put(state.name().toLowerCase(Locale.ROOT),
                    outcome.trials().stream().filter(t -> t.state() == state).count());
        }
        json.put("epochs_trained", outcome.trials().stream().mapToInt(Trial::epochsDone).sum());
        json.put("max_epochs", maxEpochs);
        json.put("trial_seconds", outcome.trials().stream().mapToDouble(Trial::seconds).sum());
        best.ifPresent(trial -> {
            ObjectNode node = json.putObject("best");
            node.put("trial", trial.number());
            node.put("value", trial.value());
            node.put("run_dir", folder.relativize(trial.runDir()).toString());
            ObjectNode params = node.putObject("params");
            space.configValues(trial.params()).forEach(params::set);
            copyBest(trial);
        });
        try {
            RunDirectory.writeAtomically(folder.resolve(STUDY_JSON),
                    RunDirectory.JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // One warning for failures in a row: a JDK that cannot draw fails after every report.
        reportFailed = !BestEffort.run(reportFailed ? QUIET : out, e -> StudyReport.FILE + " not written: " + e
                + "; the study goes on, and tries again after each report", () -> report.write(outcome));
    }

    private void copyBest(Trial trial) {
        try {
            String config = Files.readString(trial.runDir().resolve("config.yaml"));
            String header = String.format(Locale.ROOT, "# The best trial of study %s: trial %d, %s %.4f (%s).%n"
                    + "# Train it again with: ./keel train %s%n", name, trial.number(), objective.metric(), trial.value(),
                    folder.relativize(trial.runDir()), folder.resolve(BEST_YAML));
            RunDirectory.writeAtomically(folder.resolve(BEST_YAML), (header + config).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the best trial's config from " + trial.runDir(), e);
        }
    }

    private void writeCsv(List<Trial> trials) {
        List<String> header = new ArrayList<>(List.of("trial", "state", objective.metric(), "epochs", "seconds",
                "test_accuracy"));
        header.addAll(space.params().keySet());
        header.addAll(List.of("run_dir", "reason"));
        String text = CsvWriter.text(header, trials, trial -> {
            List<String> row = new ArrayList<>(List.of(Integer.toString(trial.number()),
                    trial.state().name().toLowerCase(Locale.ROOT), number(trial.lastValue()),
                    Integer.toString(trial.epochsDone()), String.format(Locale.ROOT, "%.1f", trial.seconds()),
                    number(trial.testAccuracy())));
            space.configValues(trial.params()).values().forEach(value -> row.add(plain(value)));
            row.add(folder.relativize(trial.runDir()).toString());
            row.add(trial.reason() == null ? "" : trial.reason());
            return row;
        });
        RunDirectory.writeAtomically(folder.resolve(TRIALS_CSV), text.getBytes(StandardCharsets.UTF_8));
    }

    private static String number(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.6g", value);
    }

    private static String plain(JsonNode value) {
        return value.isTextual() ? value.asText() : value.toString();
    }
}
