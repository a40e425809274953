package dev.keel.drift.report;

import dev.keel.trainer.plot.Charts;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** Reference against new data, as PNG charts for drift.html: a histogram of numbers, bars of categories. */
public final class DriftCharts {
    /** Bins of a histogram. */
    static final int BINS = 20;
    /** Categories a bar chart shows, the most frequent first; the rest are left out. */
    static final int MAX_CATEGORIES = 20;

    private DriftCharts() {}

    /** The share of each sample in each of {@link #BINS} equal bins over the range of both. */
    public static byte[] histogram(String title, double[] reference, double[] current) {
        double low = Math.min(min(reference), min(current));
        double high = Math.max(max(reference), max(current));
        double width = high > low ? (high - low) / BINS : 1;
        List<String> labels = new ArrayList<>();
        for (int b = 0; b < BINS; b++) {
            labels.add(String.format(Locale.ROOT, "%.3g", low + (b + 0.5) * width));
        }
        CategoryChart chart = chart(title, "value (bin centre)");
        chart.addSeries("reference", labels, shares(reference, low, width));
        chart.addSeries("new", labels, shares(current, low, width));
        return png(chart);
    }

    /** The share of each sample in each category, the most frequent over both first. */
    public static byte[] bars(String title, Map<String, Integer> reference, Map<String, Integer> current) {
        Set<String> keys = new LinkedHashSet<>(reference.keySet());
        keys.addAll(current.keySet());
        List<String> shown = keys.stream().sorted(Comparator.comparingInt(
                (String k) -> -(reference.getOrDefault(k, 0) + current.getOrDefault(k, 0))))
                .limit(MAX_CATEGORIES).toList();
        CategoryChart chart = chart(title, "category");
        chart.addSeries("reference", shown, shares(reference, shown));
        chart.addSeries("new", shown, shares(current, shown));
        return png(chart);
    }

    private static CategoryChart chart(String title, String xTitle) {
        Charts.headless();
        CategoryChart chart = new CategoryChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle("share of rows").build();
        var styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.GRAY);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 19));
        styler.setChartTitleBoxVisible(false);
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 17));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setSeriesColors(new Color[] {Charts.BLUE, Charts.ORANGE});
        styler.setXAxisLabelRotation(45);
        styler.setLocale(Locale.ROOT);
        styler.setAntiAlias(true);
        return chart;
    }

    private static List<Double> shares(double[] values, double low, double width) {
        double[] counts = new double[BINS];
        for (double v : values) {
            counts[Math.min(BINS - 1, (int) ((v - low) / width))]++;
        }
        return Arrays.stream(counts).map(c -> c / Math.max(values.length, 1)).boxed().toList();
    }

    private static List<Double> shares(Map<String, Integer> counts, List<String> keys) {
        double total = Math.max(counts.values().stream().mapToInt(Integer::intValue).sum(), 1);
        return keys.stream().map(k -> counts.getOrDefault(k, 0) / total).toList();
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(0);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0);
    }

    private static byte[] png(CategoryChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
