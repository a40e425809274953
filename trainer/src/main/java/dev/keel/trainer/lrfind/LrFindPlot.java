package dev.keel.trainer.lrfind;

import dev.keel.trainer.plot.Charts;
import java.awt.Color;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a sweep as fastai shows it: smoothed loss against the learning rate on a log scale, with
 * all three suggestions marked and the one trained with set apart (a red diamond on a dashed line,
 * "(chosen)" in the legend).
 */
public final class LrFindPlot {
    /** The smoothed-loss curve's series name. */
    static final String CURVE = "smoothed loss";
    private static final Color BROWN = new Color(140, 86, 75);
    private static final Map<LrSuggestion, Color> COLORS = Map.of(LrSuggestion.BOTTOM_DIV_10, BROWN, LrSuggestion.VALLEY, Charts.ORANGE,
            LrSuggestion.STEEP, Charts.GREEN, LrSuggestion.MINIMUM_DIV_10, Charts.PURPLE);
    private static final Color CHOSEN = Charts.RED;

    private LrFindPlot() {}

    /**
     * Writes the plot as a PNG to {@code file}, atomically (a temporary file renamed).
     *
     * @throws dev.keel.trainer.track.WriteFailedException when it cannot be written (a full disk says so)
     */
    public static void write(LrFinderResult result, Path file) {
        Charts.write(Charts.png(chart(result)), file);
    }

    /** The plot as a chart: the curve's finite part, then one single-point series per suggestion. */
    public static XYChart chart(LrFinderResult result) {
        XYChart chart = Charts.xy(String.format(Locale.ROOT, "lr-find: %d steps, stopped: %s", result.steps(),
                result.stop().reason()), "learning rate (log scale)", "smoothed loss");
        Charts.logAxis(chart, true);
        // Five entries do not fit in a row under the plot; the sweep's start, high and flat, leaves
        // the lower left free.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        int n = finiteSteps(result);
        double[] lrs = Arrays.copyOf(result.lrs(), n);
        double[] losses = Arrays.copyOf(result.smoothedLosses(), n);
        double start = n > 1 ? lrs[0] : result.settings().start();
        // A tenth of the lowest loss's rate lies before the sweep's first rate when the loss never fell.
        chart.getStyler().setXAxisMin(result.suggestions().any() ? Math.min(start, result.suggestions().minimumDiv10())
                : start);
        chart.getStyler().setXAxisMax(n > 1 ? lrs[n - 1] : result.settings().end());
        if (n == 0) {
            return chart;
        }
        double[] range = lossRange(losses);
        chart.getStyler().setYAxisMin(range[0]);
        chart.getStyler().setYAxisMax(range[1]);
        // The y axis names the curve; the legend keeps its width for the three suggestions.
        Charts.line(chart, CURVE, lrs, losses, Charts.BLUE).setShowInLegend(false);
        if (result.suggestions().any()) {
            markBottom(chart, result);
            for (LrSuggestion suggestion : LrSuggestion.values()) {
                mark(chart, suggestion, result, lrs, losses, range);
            }
        }
        return chart;
    }

    /** The curve's bottom that bottom/10 is read from: a segment over its rates, at its highest loss. */
    private static void markBottom(XYChart chart, LrFinderResult result) {
        LrSuggestions suggestions = result.suggestions();
        double limit = Arrays.stream(result.smoothedLosses(), suggestions.bottomFrom(), suggestions.bottomTo() + 1)
                .max().orElseThrow();
        XYSeries bottom = Charts.line(chart, String.format(Locale.ROOT, "bottom %.3g-%.3g",
                result.lrs()[suggestions.bottomFrom()], result.lrs()[suggestions.bottomTo()]),
                new double[] {result.lrs()[suggestions.bottomFrom()], result.lrs()[suggestions.bottomTo()]},
                new double[] {limit, limit}, BROWN);
        bottom.setLineStyle(SeriesLines.DOT_DOT);
    }

    /** The series name of a suggestion: its title and rate as the console prints them. */
    static String label(LrSuggestion suggestion, LrFinderResult result) {
        return String.format(Locale.ROOT, "%s %.3g%s", suggestion.title(), suggestion.pick(result.suggestions()),
                suggestion == result.settings().suggestion() ? " (chosen)" : "");
    }

    private static void mark(XYChart chart, LrSuggestion suggestion, LrFinderResult result, double[] lrs,
            double[] losses, double[] range) {
        double rate = suggestion.pick(result.suggestions());
        boolean chosen = suggestion == result.settings().suggestion();
        Color color = chosen ? CHOSEN : COLORS.get(suggestion);
        if (chosen) {
            XYSeries line = Charts.line(chart, "chosen rate", new double[] {rate, rate}, range, color);
            line.setLineStyle(SeriesLines.DASH_DASH);
            line.setShowInLegend(false);
        }
        XYSeries point = chart.addSeries(label(suggestion, result), new double[] {rate},
                new double[] {losses[nearestStep(lrs, rate)]});
        point.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        point.setMarker(chosen ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
        point.setMarkerColor(color);
    }

    /** Steps before the first smoothed loss that is not finite: the part of the curve that can be drawn. */
    private static int finiteSteps(LrFinderResult result) {
        int n = 0;
        while (n < result.steps() && Double.isFinite(result.smoothedLosses()[n])) {
            n++;
        }
        return n;
    }

    /**
     * The vertical range, padded by 5%. Like fastai's plot, it leaves the last five points out:
     * that is where the loss blows up, and fitting it in would flatten the part of the curve that
     * matters.
     */
    private static double[] lossRange(double[] losses) {
        int fit = losses.length > 10 ? losses.length - 5 : losses.length;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < fit; i++) {
            min = Math.min(min, losses[i]);
            max = Math.max(max, losses[i]);
        }
        double pad = Math.max((max - min) * 0.05, Math.abs(max) * 1e-3 + 1e-9);
        return new double[] {min - pad, max + pad};
    }

    /** The step whose rate is closest to {@code rate} on the log scale (minimum/10 lies between steps). */
    private static int nearestStep(double[] lrs, double rate) {
        int best = 0;
        for (int i = 1; i < lrs.length; i++) {
            if (Math.abs(Math.log(lrs[i] / rate)) < Math.abs(Math.log(lrs[best] / rate))) {
                best = i;
            }
        }
        return best;
    }
}
