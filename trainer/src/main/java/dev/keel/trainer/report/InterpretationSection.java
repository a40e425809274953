package dev.keel.trainer.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the final model errs, from what {@code interpret/} holds: interpretation.json (accuracy,
 * confusion matrix, per-class scores, the items with the highest loss), its charts inlined, and
 * its CSV tables named. Absent when the run has no interpretation.
 */
final class InterpretationSection {
    /** The folder in a run directory that holds the interpretation. */
    static final String FOLDER = "interpret";
    /** A confusion matrix over more classes is left to confusion.csv: it would not fit a page. */
    static final int MAX_CONFUSION_CLASSES = 20;
    /** Rows of top losses shown; top_losses.csv holds them all. */
    static final int TOP_LOSSES_SHOWN = 10;
    private static final List<String> CHARTS = List.of("confusion.png", "top_losses.png");
    private static final List<String> TABLES = List.of("confusion.csv", "per_class.csv", "top_losses.csv",
            "review.csv");

    private InterpretationSection() {}

    /** @param interpretation interpret/interpretation.json, or null when the run has none */
    static void render(Html html, Path runDir, JsonNode interpretation) {
        if (interpretation == null) {
            return;
        }
        Path folder = runDir.resolve(FOLDER);
        html.heading("Interpretation");
        html.paragraph(String.format(Locale.ROOT, "On the %s split: %s items, accuracy %s, macro F1 %s.",
                Format.text(interpretation.path("split")), Format.count(interpretation.path("items")),
                Format.percent(interpretation.path("accuracy")), Format.decimal(interpretation.path("macro_f1"))));
        charts(html, folder);
        confusion(html, interpretation.path("classes"), interpretation.path("confusion"));
        perClass(html, interpretation.path("per_class"));
        topLosses(html, interpretation.path("top_losses"));
        if (interpretation.has("review_count")) {
            html.paragraph(String.format(Locale.ROOT, "%s items predicted with a confidence below %s are listed for "
                    + "review in %s/review.csv.", Format.count(interpretation.path("review_count")),
                    Format.text(interpretation.path("review_below")), FOLDER));
        }
        List<String> tables = TABLES.stream().filter(name -> Files.isRegularFile(folder.resolve(name)))
                .map(name -> FOLDER + "/" + name).toList();
        if (!tables.isEmpty()) {
            html.paragraph("Tables beside this report: " + String.join(", ", tables) + ".");
        }
    }

    private static void charts(Html html, Path folder) {
        html.raw("<div class=\"plots\">\n");
        for (String name : CHARTS) {
            Path file = folder.resolve(name);
            if (Files.isRegularFile(file)) {
                try {
                    html.figure(Files.readAllBytes(file), name, FOLDER + "/" + name);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file, e);
                }
            }
        }
        html.raw("</div>\n");
    }

    /** Rows are the true classes, columns the predicted ones; the diagonal (right) and the errors are marked. */
    private static void confusion(Html html, JsonNode classes, JsonNode matrix) {
        if (classes.isEmpty() || matrix.size() != classes.size()) {
            return;
        }
        if (classes.size() > MAX_CONFUSION_CLASSES) {
            html.paragraph("The confusion matrix of " + classes.size() + " classes is in " + FOLDER
                    + "/confusion.csv.");
            return;
        }
        html.raw("<table class=\"confusion\">\n<caption>Confusion matrix: rows are the true classes, columns the "
                + "predicted ones</caption>\n<tr><th>true \\ predicted</th>");
        classes.forEach(name -> html.raw("<th>").text(name.asText()).raw("</th>"));
        html.raw("</tr>\n");
        for (int row = 0; row < matrix.size(); row++) {
            html.raw("<tr><th>").text(classes.get(row).asText()).raw("</th>");
            for (int column = 0; column < matrix.get(row).size(); column++) {
                long count = matrix.get(row).get(column).asLong();
                html.raw(row == column ? "<td class=\"right\">" : count > 0 ? "<td class=\"wrong\">" : "<td>")
                        .text(String.format(Locale.ROOT, "%,d", count)).raw("</td>");
            }
            html.raw("</tr>\n");
        }
        html.raw("</table>\n");
    }

    private static void perClass(Html html, JsonNode perClass) {
        if (perClass.isEmpty()) {
            return;
        }
        html.element("h3", null, "Per class");
        List<List<String>> rows = new ArrayList<>();
        perClass.forEach(c -> rows.add(List.of(Format.text(c.path("class")), Format.decimal(c.path("precision")),
                Format.decimal(c.path("recall")), Format.decimal(c.path("f1")), Format.count(c.path("support")))));
        html.table(List.of("class", "precision", "recall", "F1", "support"), rows);
    }

    private static void topLosses(Html html, JsonNode topLosses) {
        if (topLosses.isEmpty()) {
            return;
        }
        html.element("h3", null, "Highest losses");
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < Math.min(TOP_LOSSES_SHOWN, topLosses.size()); i++) {
            JsonNode item = topLosses.get(i);
            rows.add(List.of(Format.text(item.path("item")), Format.text(item.path("true")),
                    Format.text(item.path("predicted")), Format.percent(item.path("confidence")),
                    Format.decimal(item.path("loss"))));
        }
        html.table(List.of("item", "true", "predicted", "confidence", "loss"), rows);
    }
}
