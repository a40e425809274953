package dev.keel.drift.table;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.keel.drift.report.DriftSection;
import dev.keel.trainer.report.Html;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The table section of a drift report: one test per column the model uses, and the dataset
 * verdict, drift when the share of drifted columns reaches {@code shareThreshold}.
 *
 * @param referenceRows the rows of the reference (the run's training split)
 * @param newRows the rows of the new data
 * @param columnCount the columns tested
 * @param driftedColumns how many of them drifted
 * @param share {@code driftedColumns / columnCount}
 * @param shareThreshold the share at or above which the dataset drifted
 * @param drifted the dataset verdict
 * @param tests how many columns each test was used on, by test name
 * @param columns each column's test, in the model's column order
 * @param charts reference against new data, a PNG for each drifted column, by column (not in drift.json)
 */
public record TableSection(int referenceRows, int newRows, int columnCount, int driftedColumns, double share,
        double shareThreshold, boolean drifted, Map<String, Integer> tests, List<ColumnDrift> columns,
        @JsonIgnore Map<String, byte[]> charts) implements DriftSection {

    /** Each test's name in the summary line and the page. */
    static final Map<String, String> TEST_NAMES = Map.of("ks", "KS", "wasserstein", "Wasserstein", "chisquare",
            "chi-squared", "z", "Z", "jensenshannon", "Jensen-Shannon", "none", "no test");

    @Override
    public String key() {
        return "table";
    }

    @Override
    public String summary() {
        String tested = tests.entrySet().stream().map(e -> TEST_NAMES.get(e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return String.format(Locale.ROOT, "%d of %d columns drifted (share %.2f %s %s): %s · %s · reference %d rows,"
                        + " new %d rows", driftedColumns, columnCount, share, drifted ? ">=" : "<",
                plain(shareThreshold),
                drifted ? "dataset drift" : "no dataset drift", tested, referenceRows, newRows);
    }

    @Override
    public void render(Html html) {
        html.heading("Table columns");
        html.paragraph(summary());
        List<String> header = List.of("column", "type", "test", "statistic", "p-value", "distance", "threshold",
                "reference n", "new n", "missing (reference)", "missing (new)", "unseen categories", "drifted");
        List<List<String>> rows = new ArrayList<>();
        for (ColumnDrift c : columns) {
            rows.add(List.of(c.column(), c.type(), TEST_NAMES.get(c.test()), number(c.statistic()),
                    number(c.pValue()), number(c.distance()), c.threshold() == null ? "" : plain(c.threshold()), String.valueOf(c.referenceSize()),
                    String.valueOf(c.newSize()), percent(c.referenceMissingRate()), percent(c.newMissingRate()),
                    unseen(c.unseenCategories()), c.drifted() ? "drift" : "no"));
        }
        html.table(header, rows);
        for (ColumnDrift c : columns) {
            byte[] png = charts.get(c.column());
            if (png != null) {
                html.figure(png, c.column() + ": reference against new data", c.column() + " (" + c.type() + ", "
                        + TEST_NAMES.get(c.test()) + "): reference " + c.referenceSize() + " values, new "
                        + c.newSize());
            }
        }
    }

    private static String unseen(Map<String, Integer> unseen) {
        return unseen.isEmpty() ? "" : unseen.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
                .collect(Collectors.joining(", "));
    }

    private static String number(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.4g", value);
    }

    private static String plain(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e9 ? String.valueOf((long) value)
                : String.valueOf(value);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }
}
