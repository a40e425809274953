package dev.keel.tune.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.keel.trainer.plot.Charts;
import dev.keel.trainer.report.Format;
import dev.keel.trainer.report.Html;
import dev.keel.trainer.report.RunReport;
import dev.keel.trainer.track.Provenance;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.tune.prune.Pruner;
import dev.keel.tune.store.StudyStore;
import dev.keel.tune.study.Study;
import dev.keel.tune.study.Trial;
import dev.keel.tune.study.TrialState;
import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.knowm.xchart.XYChart;

/**
 * A study's {@code study.html}: one self-contained page like a run's report.html (the charts
 * inlined as data URIs, the style inline, no script, nothing fetched). Its only links are relative
 * ones to files in the study folder: each trial's report.html and best.yaml. It shows where the
 * study stands, its best trial, every trial, the optimisation history, the objective against each
 * parameter, and the rungs: each trial's objective by epoch and the pruner's decisions.
 */
public final class StudyReport {
    /** The page's name in a study folder. */
    public static final String FILE = "study.html";

    private static final String STYLE = RunReport.STYLE + """
            .status.finished{background:#dff2e3;color:#1d6a2c}
            .status.running{background:#dde9f7;color:#1f4e8a}
            a{color:#1f5fa8}
            """;

    private final Study.Setup setup;
    private final String name;
    private final Pruner pruner;

    /**
     * @param setup what the study trains with
     * @param name the study's name
     * @param pruner the study's pruner: what it is and where its rungs are
     */
    public StudyReport(Study.Setup setup, String name, Pruner pruner) {
        this.setup = setup;
        this.name = name;
        this.pruner = pruner;
    }

    /**
     * Writes {@code study.html} for {@code outcome} into the study folder, atomically (a temporary
     * file renamed).
     *
     * @return the page's path
     */
    public Path write(Study.Outcome outcome) {
        Path target = setup.folder().resolve(FILE);
        RunDirectory.writeAtomically(target, page(outcome).getBytes(StandardCharsets.UTF_8));
        return target;
    }

    /** The page's HTML. */
    String page(Study.Outcome outcome) {
        List<Trial> trials = outcome.trials().stream().sorted(Comparator.comparingInt(Trial::number)).toList();
        Optional<Trial> best = StudyFiles.best(trials, setup.settings().objective());
        Html html = new Html().open("Keel study " + name, STYLE);
        html.element("h1", null, "Keel study " + name);
        html.element("p", "path", setup.folder().toAbsolutePath().normalize().getFileName().toString());
        summary(html, outcome.status(), trials);
        best(html, best, outcome.status());
        trialTable(html, trials);
        search(html, trials, best);
        rungs(html, trials, outcome.decisions());
        html.element("footer", null, "Written by Keel " + Provenance.keelVersion() + " at "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " from the study's store.");
        return html.close();
    }

    private void summary(Html html, String status, List<Trial> trials) {
        html.element("p", "status " + status, status);
        int epochs = trials.stream().mapToInt(Trial::epochsDone).sum();
        int unpruned = trials.size() * setup.maxEpochs();
        html.pairs(List.of(
                List.of("objective", setup.settings().objective().metric() + ", "
                        + setup.settings().objective().direction().name().toLowerCase(Locale.ROOT)),
                List.of("sampler", setup.settings().sampler() + " (seed " + setup.settings().seed() + ")"),
                List.of("pruner", pruner.describe()),
                List.of("trials", trials.size() + " of " + setup.settings().trials() + " started" + states(trials)),
                List.of("epochs trained", String.format(Locale.ROOT, "%d of %d (%d trials x %d epochs): %.0f%%",
                        epochs, unpruned, trials.size(), setup.maxEpochs(), 100.0 * epochs / Math.max(1, unpruned))),
                List.of("trial time", Format.seconds(number(trials.stream().mapToDouble(Trial::seconds).sum())))));
    }

    /** {@code : 3 complete, 2 pruned} for the states that have trials. */
    private static String states(List<Trial> trials) {
        List<String> counts = new ArrayList<>();
        for (TrialState state : TrialState.values()) {
            long count = trials.stream().filter(t -> t.state() == state).count();
            if (count > 0) {
                counts.add(count + " " + state.name().toLowerCase(Locale.ROOT));
            }
        }
        return counts.isEmpty() ? "" : ": " + String.join(", ", counts);
    }

    private void best(Html html, Optional<Trial> found, String status) {
        html.heading("Best trial");
        if (found.isEmpty()) {
            html.paragraph(status.equals("running") ? "No trial has completed yet."
                    : "No trial completed: the table below says why.");
            return;
        }
        Trial best = found.get();
        html.raw("<p>").text(String.format(Locale.ROOT, "Trial %d: %s %.4f after %d epochs.", best.number(),
                setup.settings().objective().metric(), best.value(), best.epochsDone()));
        reportLink(best).ifPresent(href -> html.text(" ").link("Its report", href).text("."));
        Path config = setup.folder().resolve(StudyFiles.BEST_YAML);
        if (Files.isRegularFile(config)) {
            html.text(" Its config, for ./keel train: ").link(StudyFiles.BEST_YAML, href(config)).text(".");
        }
        html.raw("</p>\n");
        List<List<String>> rows = new ArrayList<>();
        setup.space().configValues(best.params()).forEach((key, value) -> rows.add(List.of(key, value(value))));
        rows.add(List.of("test accuracy", Format.percent(number(best.testAccuracy()))));
        html.pairs(rows);
    }

    private void trialTable(Html html, List<Trial> trials) {
        html.heading("Trials");
        boolean reasons = trials.stream().anyMatch(t -> t.reason() != null);
        List<String> header = new ArrayList<>(List.of("trial", "state", setup.settings().objective().metric(),
                "epochs", "seconds", "test accuracy"));
        header.addAll(setup.space().params().keySet());
        header.add("run");
        if (reasons) {
            header.add("reason");
        }
        List<List<Html.Cell>> rows = new ArrayList<>();
        for (Trial trial : trials) {
            List<Html.Cell> row = new ArrayList<>(List.of(Html.Cell.text(Integer.toString(trial.number())),
                    Html.Cell.text(trial.state().name().toLowerCase(Locale.ROOT)),
                    Html.Cell.text(Format.decimal(number(trial.lastValue()))),
                    Html.Cell.text(Integer.toString(trial.epochsDone())),
                    Html.Cell.text(String.format(Locale.ROOT, "%.1f", trial.seconds())),
                    Html.Cell.text(Format.percent(number(trial.testAccuracy())))));
            setup.space().configValues(trial.params()).values().forEach(v -> row.add(Html.Cell.text(value(v))));
            String runDir = setup.folder().relativize(trial.runDir()).toString();
            row.add(reportLink(trial).map(href -> Html.Cell.link(runDir, href)).orElse(Html.Cell.text(runDir)));
            if (reasons) {
                row.add(Html.Cell.text(trial.reason()));
            }
            rows.add(row);
        }
        html.cellTable(header, rows);
    }

    private void search(Html html, List<Trial> trials, Optional<Trial> best) {
        html.heading("Search");
        Optional<XYChart> history = HistoryChart.of(trials, setup.settings().objective());
        if (history.isEmpty()) {
            html.paragraph("The charts of the search come once a trial has trained an epoch.");
            return;
        }
        html.raw("<div class=\"plots\">\n");
        figure(html, history.get(), "Optimisation history", "The objective of each trial by its number, after the"
                + " last epoch it trained (completed trials in blue, each rung the others stopped at in a colour),"
                + " and the best completed so far.");
        setup.space().params().forEach((key, distribution) -> ParameterChart.of(key, distribution, trials,
                setup.settings().objective(), best).ifPresent(chart -> figure(html, chart, key,
                        "The objective of each trial after the last epoch it trained against " + key
                                + "; the diamond is the best completed trial.")));
        html.raw("</div>\n");
    }

    private void rungs(Html html, List<Trial> trials, List<StudyStore.Decision> decisions) {
        html.heading("Rungs");
        RungChart.of(trials, decisions, setup.settings().objective(), pruner.rungs(), setup.maxEpochs())
                .ifPresent(chart -> figure(html, chart, "Objective by epoch", "Each trial's objective after each epoch"
                        + " it trained, coloured by its state; black squares: paused at a rung"
                        + (pruner.rungs().isEmpty() ? "." : "; dashed: the rungs, at epoch"
                                + (pruner.rungs().size() == 1 ? " " : "s ") + pruner.rungs().stream()
                                        .map(String::valueOf).collect(Collectors.joining(", ")) + ".")));
        if (decisions.isEmpty()) {
            html.paragraph(pruner.rungs().isEmpty() ? "No rungs: every trial trains to its last epoch."
                    : "No trial has reached a rung yet.");
            return;
        }
        List<List<String>> rows = decisions.stream().map(d -> List.of(Integer.toString(d.trial()),
                Integer.toString(d.rung()), Format.decimal(number(d.value())), d.decision())).toList();
        html.table(List.of("trial", "rung (epoch)", setup.settings().objective().metric(), "decision"), rows);
    }

    private static void figure(Html html, XYChart chart, String alt, String caption) {
        html.figure(Charts.png(chart), alt, caption);
    }

    /** The relative link to the trial's report.html, when its run has written one. */
    private Optional<String> reportLink(Trial trial) {
        Path report = trial.runDir().resolve(RunReport.FILE);
        return Files.isRegularFile(report) ? Optional.of(href(report)) : Optional.empty();
    }

    /** {@code file} relative to the study folder, as a URL path: {@code trials/trial-0003/report.html}. */
    private String href(Path file) {
        return StreamSupport.stream(setup.folder().relativize(file).spliterator(), false)
                .map(part -> URLEncoder.encode(part.toString(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("/"));
    }

    private static JsonNode number(Double value) {
        return value == null ? MissingNode.getInstance() : DoubleNode.valueOf(value);
    }

    /** A parameter's config value: a number to four significant digits, anything else as YAML flow text. */
    static String value(JsonNode value) {
        if (value.isFloatingPointNumber() && Double.isFinite(value.asDouble())) {
            BigDecimal rounded = value.decimalValue().round(new MathContext(4)).stripTrailingZeros();
            return Math.abs(value.asDouble()) >= 1e-4 || value.asDouble() == 0 ? rounded.toPlainString()
                    : rounded.toString();
        }
        return Format.text(value);
    }
}
