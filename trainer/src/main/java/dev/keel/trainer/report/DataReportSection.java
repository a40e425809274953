package dev.keel.trainer.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What the check of the data found, from data_report.json: class counts per split and the first problems. */
final class DataReportSection {
    /** Problems listed on the page; data_report.json holds them all. */
    static final int PROBLEMS_SHOWN = 10;

    private DataReportSection() {}

    /** @param report data_report.json, or null when the data's format has no check (the IDX datasets) */
    static void render(Html html, JsonNode report) {
        if (report == null) {
            return;
        }
        html.heading("Data");
        int errors = report.path("errors").asInt();
        int warnings = report.path("warnings").asInt();
        int skipped = report.path("skipped").size();
        html.paragraph(String.format(Locale.ROOT, "Check of %s: %d error%s, %d warning%s, %d item%s skipped.",
                Format.text(report.path("dataset")), errors, errors == 1 ? "" : "s", warnings,
                warnings == 1 ? "" : "s", skipped, skipped == 1 ? "" : "s"));
        classCounts(html, report.path("class_counts"));
        problems(html, report.path("problems"));
    }

    /** One row per class, one column per split. */
    private static void classCounts(Html html, JsonNode counts) {
        List<String> splits = new ArrayList<>();
        Set<String> classes = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> split : counts.properties()) {
            splits.add(split.getKey());
            split.getValue().fieldNames().forEachRemaining(classes::add);
        }
        if (splits.isEmpty()) {
            return;
        }
        List<String> header = new ArrayList<>(List.of("class"));
        header.addAll(splits);
        List<List<String>> rows = new ArrayList<>();
        for (String name : classes) {
            List<String> row = new ArrayList<>(List.of(name));
            splits.forEach(split -> row.add(Format.count(counts.path(split).path(name))));
            rows.add(row);
        }
        html.table(header, rows);
    }

    private static void problems(Html html, JsonNode problems) {
        if (problems.isEmpty()) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < Math.min(PROBLEMS_SHOWN, problems.size()); i++) {
            JsonNode problem = problems.get(i);
            rows.add(List.of(Format.text(problem.path("severity")), Format.text(problem.path("kind")),
                    Format.text(problem.path("file")) + (problem.has("line") ? ":" + problem.get("line").asLong() : ""),
                    Format.text(problem.path("message"))));
        }
        html.table(List.of("severity", "kind", "file", "problem"), rows);
        if (problems.size() > PROBLEMS_SHOWN) {
            html.paragraph("… and " + (problems.size() - PROBLEMS_SHOWN) + " more in data_report.json.");
        }
    }
}
