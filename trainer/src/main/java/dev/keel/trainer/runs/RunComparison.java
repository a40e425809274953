package dev.keel.trainer.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.keel.trainer.config.ConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleFunction;

/**
 * Two runs side by side: the config keys whose values differ (or that one config lacks), then
 * the status and metrics of each, with B - A where both have a number.
 */
public final class RunComparison {
    private static final String ABSENT = "(absent)";

    private final RunFolder a;
    private final RunFolder b;

    private RunComparison(RunFolder a, RunFolder b) {
        this.a = a;
        this.b = b;
    }

    /**
     * Reads both runs; their metrics may be missing or unreadable, their configs may not.
     *
     * @throws ConfigException when a folder holds no readable config.yaml
     */
    public static RunComparison of(Path a, Path b) {
        return new RunComparison(readable(a), readable(b));
    }

    private static RunFolder readable(Path dir) {
        RunFolder run = RunFolder.read(dir);
        if (run.config().absent()) {
            throw new ConfigException(dir + ": not a Keel run directory (no config.yaml)");
        }
        if (run.config().unreadable()) {
            throw new ConfigException(dir.resolve("config.yaml") + ": cannot be read: " + run.config().problem());
        }
        return run;
    }

    /** The comparison as printed. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("A  " + a.dir());
        lines.add("B  " + b.dir());
        lines.add("");
        lines.addAll(configLines());
        lines.add("");
        lines.add("metrics");
        lines.addAll(metricsTable().lines("  "));
        return lines;
    }

    private List<String> configLines() {
        Map<String, JsonNode> keysA = ConfigKeys.flatten(a.config().json());
        Map<String, JsonNode> keysB = ConfigKeys.flatten(b.config().json());
        Set<String> keys = new LinkedHashSet<>(keysA.keySet());
        keys.addAll(keysB.keySet());
        TextTable table = new TextTable(List.of("KEY", "A", "B"), Set.of());
        int differing = 0;
        for (String key : keys) {
            JsonNode valueA = keysA.getOrDefault(key, MissingNode.getInstance());
            JsonNode valueB = keysB.getOrDefault(key, MissingNode.getInstance());
            if (!ConfigKeys.same(valueA, valueB)) {
                table.add(key, show(valueA), show(valueB));
                differing++;
            }
        }
        if (differing == 0) {
            return List.of("config: the same (" + keys.size() + " keys)");
        }
        List<String> lines = new ArrayList<>();
        lines.add("config: " + differing + " of " + keys.size() + " keys differ");
        lines.addAll(table.lines("  "));
        return lines;
    }

    private static String show(JsonNode value) {
        return value.isMissingNode() ? ABSENT : ConfigKeys.show(value);
    }

    private TextTable metricsTable() {
        RunSummary sa = a.values();
        RunSummary sb = b.values();
        TextTable table = new TextTable(List.of("METRIC", "A", "B", "B - A"), Set.of(3));
        table.add("status", RunStatus.of(a), RunStatus.of(b), "");
        DoubleFunction<String> count = v -> String.format(Locale.ROOT, "%,d", Math.round(v));
        DoubleFunction<String> countChange = v -> String.format(Locale.ROOT, "%+,d", Math.round(v));
        DoubleFunction<String> accuracy = v -> String.format(Locale.ROOT, "%.2f%%", 100 * v);
        DoubleFunction<String> accuracyChange = v -> String.format(Locale.ROOT, "%+.2f pts", 100 * v);
        DoubleFunction<String> loss = v -> String.format(Locale.ROOT, "%.4f", v);
        DoubleFunction<String> lossChange = v -> String.format(Locale.ROOT, "%+.4f", v);
        DoubleFunction<String> time = Durations::of;
        DoubleFunction<String> timeChange = Durations::signed;
        row(table, "epochs", toDouble(sa.epochs()), toDouble(sb.epochs()), count, countChange);
        row(table, "steps", toDouble(sa.steps()), toDouble(sb.steps()), count, countChange);
        row(table, "train time", sa.trainSeconds(), sb.trainSeconds(), time, timeChange);
        row(table, "wall time", sa.wallSeconds(), sb.wallSeconds(), time, timeChange);
        row(table, "valid accuracy", sa.validAccuracy(), sb.validAccuracy(), accuracy, accuracyChange);
        row(table, "valid loss", sa.validLoss(), sb.validLoss(), loss, lossChange);
        row(table, "test accuracy", sa.testAccuracy(), sb.testAccuracy(), accuracy, accuracyChange);
        row(table, "test loss", sa.testLoss(), sb.testLoss(), loss, lossChange);
        row(table, "final train loss", a.finalTrainLoss(), b.finalTrainLoss(), loss, lossChange);
        return table;
    }

    private static void row(TextTable table, String metric, Double valueA, Double valueB, DoubleFunction<String> show,
            DoubleFunction<String> showChange) {
        table.add(metric, valueA == null ? "-" : show.apply(valueA), valueB == null ? "-" : show.apply(valueB),
                valueA == null || valueB == null ? "" : showChange.apply(valueB - valueA));
    }

    private static Double toDouble(Long value) {
        return value == null ? null : value.doubleValue();
    }
}
