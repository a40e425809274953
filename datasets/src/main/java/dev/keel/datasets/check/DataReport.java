package dev.keel.datasets.check;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.datasets.DataException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a check of a dataset found, for every format alike: problems (each with its file and, for
 * tables, its line), class counts per split, and the items skipped. Written to the console and to
 * a run's {@code data_report.json}.
 */
public final class DataReport {
    /** How bad a problem is: an error makes the item (or the dataset) unusable; a warning does not. */
    public enum Severity {
        ERROR, WARNING;

        /** The lower-case name written to reports. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One problem.
     *
     * @param severity whether it makes the item unusable
     * @param kind a stable name for scripts: {@code unreadable}, {@code empty_file}, {@code not_an_image},
     *     {@code stray_file}, {@code empty_class}, {@code unexpected_mode}, {@code unexpected_size},
     *     {@code field_count}, {@code not_numeric}, {@code unknown_label}, {@code label_variant},
     *     {@code class_imbalance}, {@code duplicate}, {@code duplicate_across_splits}
     * @param file the file it is in, or the dataset's folder for problems of the whole dataset
     * @param line the 1-based line in a table, or 0
     * @param message what is wrong, in words
     */
    public record Problem(Severity severity, String kind, String file, long line, String message) {
        /** One line for the console: {@code error: FILE:LINE: MESSAGE}. */
        public String describe() {
            return severity.label() + ": " + file + (line > 0 ? ":" + line : "") + ": " + message;
        }
    }

    /** A largest class with more than this many times the items of the smallest is a warning. */
    public static final double IMBALANCE_RATIO = 10;
    private static final int FIRST_PROBLEMS = 5;

    private final String dataset;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Map<String, Integer>> classCounts = new LinkedHashMap<>();
    private final List<String> skipped = new ArrayList<>();

    /** @param dataset the dataset's name or location, for the report's heading */
    public DataReport(String dataset) {
        this.dataset = dataset;
    }

    /** Records a problem. */
    public synchronized void add(Problem problem) {
        problems.add(problem);
    }

    /** Records an error: the item (or dataset) cannot be used. */
    public void error(String kind, String file, long line, String message) {
        add(new Problem(Severity.ERROR, kind, file, line, message));
    }

    /** Records a warning: worth a look, not in the way of training. */
    public void warning(String kind, String file, long line, String message) {
        add(new Problem(Severity.WARNING, kind, file, line, message));
    }

    /**
     * Warns ({@code class_imbalance}) when the largest class in {@code counts} has more than {@link
     * #IMBALANCE_RATIO} times the items of the smallest; empty classes are errors of their own and
     * do not count.
     *
     * @param file the dataset's file or folder, for the warning
     * @param items what an item is called: rows, images
     */
    public void warnIfImbalanced(String file, Map<String, Integer> counts, String items) {
        Map.Entry<String, Integer> largest = counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .max(Map.Entry.comparingByValue()).orElse(null);
        Map.Entry<String, Integer> smallest = counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .min(Map.Entry.comparingByValue()).orElse(null);
        if (largest != null && largest.getValue() > IMBALANCE_RATIO * smallest.getValue()) {
            warning("class_imbalance", file, 0, String.format(java.util.Locale.ROOT,
                    "class '%s' has %d %s, class '%s' only %d (more than %.0f times fewer)", largest.getKey(),
                    largest.getValue(), items, smallest.getKey(), smallest.getValue(), IMBALANCE_RATIO));
        }
    }

    /**
     * The exception that stops a load under {@code data.bad_items: fail}: {@code heading}, then the
     * first errors, each on a line with its file (and line).
     */
    public DataException failure(String heading) {
        return failure(heading, p -> true);
    }

    /** As {@link #failure(String)}, listing the errors that {@code first} picks before the others. */
    public DataException failure(String heading, Predicate<Problem> first) {
        List<Problem> errors = new ArrayList<>(errors().stream().filter(first).toList());
        errors().stream().filter(first.negate()).forEach(errors::add);
        StringBuilder message = new StringBuilder(heading);
        errors.stream().limit(FIRST_PROBLEMS).forEach(p -> message.append("\n  ").append(p.describe()));
        if (errors.size() > FIRST_PROBLEMS) {
            message.append("\n  ... and ").append(errors.size() - FIRST_PROBLEMS).append(" more");
        }
        return new DataException(message.toString());
    }

    /** Records that an item with an error was left out (policy {@code data.bad_items: skip}). */
    public synchronized void skipped(String item) {
        skipped.add(item);
    }

    /** Records how many items of each class a split holds. */
    public synchronized void classCounts(String split, Map<String, Integer> counts) {
        classCounts.put(split, new LinkedHashMap<>(counts));
    }

    /** Every problem in the order found. */
    public synchronized List<Problem> problems() {
        return Collections.unmodifiableList(new ArrayList<>(problems));
    }

    /** The problems that make items unusable. */
    public List<Problem> errors() {
        return problems().stream().filter(p -> p.severity() == Severity.ERROR).toList();
    }

    /** The items left out. */
    public synchronized List<String> skippedItems() {
        return List.copyOf(skipped);
    }

    /** Lines for the console: a summary, then up to {@code limit} problems. */
    public List<String> describe(int limit) {
        List<Problem> all = problems();
        long errors = all.stream().filter(p -> p.severity() == Severity.ERROR).count();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(java.util.Locale.ROOT, "data check of %s: %d error%s, %d warning%s%s", dataset,
                errors, errors == 1 ? "" : "s", all.size() - errors, all.size() - errors == 1 ? "" : "s",
                skipped.isEmpty() ? "" : ", " + skipped.size() + " items skipped"));
        all.stream().limit(limit).map(p -> "  " + p.describe()).forEach(lines::add);
        if (all.size() > limit) {
            lines.add("  ... and " + (all.size() - limit) + " more (see data_report.json)");
        }
        return lines;
    }

    /** The report as {@code data_report.json} holds it. */
    public synchronized ObjectNode toJson() {
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("dataset", dataset);
        json.put("errors", errors().size());
        json.put("warnings", problems.size() - errors().size());
        ObjectNode counts = json.putObject("class_counts");
        classCounts.forEach((split, byClass) -> {
            ObjectNode node = counts.putObject(split);
            byClass.forEach(node::put);
        });
        ArrayNode list = json.putArray("problems");
        for (Problem p : problems) {
            ObjectNode node = list.addObject().put("severity", p.severity().label()).put("kind", p.kind())
                    .put("file", p.file());
            if (p.line() > 0) {
                node.put("line", p.line());
            }
            node.put("message", p.message());
        }
        ArrayNode skippedJson = json.putArray("skipped");
        skipped.forEach(skippedJson::add);
        return json;
    }
}
