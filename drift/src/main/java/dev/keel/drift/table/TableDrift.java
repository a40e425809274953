package dev.keel.drift.table;

import dev.keel.drift.config.DriftConfig;
import dev.keel.drift.report.DriftCharts;
import dev.keel.drift.stats.TwoSample;
import dev.keel.serving.table.Cells;
import dev.keel.serving.table.ColumnType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tests each column the model uses, reference against new data, with the test Evidently's defaults
 * choose (or the one the config names), and decides the dataset verdict.
 */
public final class TableDrift {
    private TableDrift() {}

    /**
     * @param types the type of each column to test, as the model's table transform typed it, in its order
     */
    public static TableSection compare(TableColumns reference, TableColumns current, Map<String, ColumnType> types,
            DriftConfig config) {
        List<ColumnDrift> columns = new ArrayList<>();
        Map<String, Integer> tests = new TreeMap<>();
        Map<String, byte[]> charts = new LinkedHashMap<>();
        for (Map.Entry<String, ColumnType> column : types.entrySet()) {
            String name = column.getKey();
            List<String> referenceCells = reference.values().get(name);
            List<String> newCells = current.values().get(name);
            ColumnDrift drift = column.getValue() == ColumnType.NUMERIC
                    ? numeric(name, referenceCells, newCells, config, charts)
                    : categorical(name, referenceCells, newCells, config, charts);
            columns.add(drift);
            tests.merge(drift.test(), 1, Integer::sum);
        }
        int drifted = (int) columns.stream().filter(ColumnDrift::drifted).count();
        double share = columns.isEmpty() ? 0 : (double) drifted / columns.size();
        return new TableSection(reference.rows(), current.rows(), columns.size(), drifted, share, config.share(),
                share >= config.share(), tests, List.copyOf(columns), charts);
    }

    /** The test {@code numeric_test} names; {@code auto}: KS up to the size limit, else Wasserstein. */
    static String numericTest(DriftConfig config, int referenceSize) {
        return switch (config.numericTest()) {
            case KS -> "ks";
            case WASSERSTEIN -> "wasserstein";
            case AUTO -> referenceSize <= config.referenceSizeLimit() ? "ks" : "wasserstein";
        };
    }

    /**
     * The test {@code categorical_test} names; {@code auto}: up to the size limit Z for two values
     * (over both samples) and chi-squared for more, else Jensen-Shannon. {@code z} on more than two
     * values falls back to chi-squared, the test of which it is the two-value case.
     */
    static String categoricalTest(DriftConfig config, int referenceSize, int values) {
        return switch (config.categoricalTest()) {
            case CHISQUARE -> "chisquare";
            case JENSENSHANNON -> "jensenshannon";
            case Z -> values <= 2 ? "z" : "chisquare";
            case AUTO -> referenceSize > config.referenceSizeLimit() ? "jensenshannon"
                    : values <= 2 ? "z" : "chisquare";
        };
    }

    private static ColumnDrift numeric(String name, List<String> referenceCells, List<String> newCells,
            DriftConfig config, Map<String, byte[]> charts) {
        double[] reference = numbers(referenceCells);
        double[] current = numbers(newCells);
        if (reference.length == 0 || current.length == 0) {
            return untested(name, "numeric", referenceCells, newCells, reference.length, current.length, Map.of());
        }
        String test = numericTest(config, reference.length);
        ColumnDrift drift;
        if (test.equals("ks")) {
            TwoSample.Outcome ks = TwoSample.kolmogorovSmirnov(reference, current);
            drift = new ColumnDrift(name, "numeric", test, ks.statistic(), ks.pValue(), null, config.ksP(),
                    ks.pValue() < config.ksP(), reference.length, current.length, missingRate(referenceCells),
                    missingRate(newCells), Map.of());
        } else {
            double distance = TwoSample.wasserstein(reference, current);
            double normed = TwoSample.normedWasserstein(reference, current);
            drift = new ColumnDrift(name, "numeric", test, distance, null, normed, config.wasserstein(),
                    normed >= config.wasserstein(), reference.length, current.length, missingRate(referenceCells),
                    missingRate(newCells), Map.of());
        }
        if (drift.drifted()) {
            charts.put(name, DriftCharts.histogram(name, reference, current));
        }
        return drift;
    }

    private static ColumnDrift categorical(String name, List<String> referenceCells, List<String> newCells,
            DriftConfig config, Map<String, byte[]> charts) {
        Map<String, Integer> reference = counts(referenceCells);
        Map<String, Integer> current = counts(newCells);
        Map<String, Integer> unseen = new TreeMap<>();
        current.forEach((value, count) -> {
            if (!reference.containsKey(value)) {
                unseen.put(value, count);
            }
        });
        int referenceSize = total(reference);
        int newSize = total(current);
        if (referenceSize == 0 || newSize == 0) {
            return untested(name, "categorical", referenceCells, newCells, referenceSize, newSize, unseen);
        }
        int values = reference.size() + unseen.size();
        String test = categoricalTest(config, referenceSize, values);
        ColumnDrift drift = switch (test) {
            case "jensenshannon" -> {
                double distance = TwoSample.jensenShannon(reference, current);
                yield new ColumnDrift(name, "categorical", test, distance, null, distance, config.js(),
                        distance >= config.js(), referenceSize, newSize, missingRate(referenceCells),
                        missingRate(newCells), unseen);
            }
            case "z" -> pValueTest(name, test, TwoSample.proportionZ(reference, current), config.zP(), referenceSize,
                    newSize, referenceCells, newCells, unseen);
            default -> pValueTest(name, test, TwoSample.chiSquare(reference, current), config.chiP(), referenceSize,
                    newSize, referenceCells, newCells, unseen);
        };
        if (drift.drifted()) {
            charts.put(name, DriftCharts.bars(name, reference, current));
        }
        return drift;
    }

    private static ColumnDrift pValueTest(String name, String test, TwoSample.Outcome outcome, double threshold,
            int referenceSize, int newSize, List<String> referenceCells, List<String> newCells,
            Map<String, Integer> unseen) {
        return new ColumnDrift(name, "categorical", test, outcome.statistic(), outcome.pValue(), null, threshold,
                outcome.pValue() < threshold, referenceSize, newSize, missingRate(referenceCells),
                missingRate(newCells), unseen);
    }

    /** A side with no values at all: no test; drift when only one side has none. */
    private static ColumnDrift untested(String name, String type, List<String> referenceCells, List<String> newCells,
            int referenceSize, int newSize, Map<String, Integer> unseen) {
        return new ColumnDrift(name, type, "none", null, null, null, null, (referenceSize == 0) != (newSize == 0),
                referenceSize, newSize, missingRate(referenceCells), missingRate(newCells), unseen);
    }

    private static double[] numbers(List<String> cells) {
        return cells.stream().filter(c -> !Cells.isMissing(c)).mapToDouble(Cells::number).toArray();
    }

    /** Each value present (trimmed) and its count, in the order first met. */
    private static Map<String, Integer> counts(List<String> cells) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        cells.stream().filter(c -> !Cells.isMissing(c)).forEach(c -> counts.merge(c.trim(), 1, Integer::sum));
        return counts;
    }

    private static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static double missingRate(List<String> cells) {
        return cells.isEmpty() ? 0 : (double) cells.stream().filter(Cells::isMissing).count() / cells.size();
    }
}
