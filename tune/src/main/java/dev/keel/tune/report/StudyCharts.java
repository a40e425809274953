package dev.keel.tune.report;

import dev.keel.trainer.plot.Charts;
import dev.keel.tune.study.Trial;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import org.knowm.xchart.XYChart;

/** What the study's charts share: which trials they plot, and x axes with ticks at whole numbers. */
final class StudyCharts {
    private StudyCharts() {}

    /** The completed trials with a finite objective, by number. */
    static List<Trial> completed(List<Trial> trials) {
        return trials.stream().filter(t -> t.value() != null && Double.isFinite(t.value()))
                .sorted(Comparator.comparingInt(Trial::number)).toList();
    }

    /** The y values of {@code trials}: their final objective. */
    static double[] objective(List<Trial> trials) {
        return trials.stream().mapToDouble(Trial::value).toArray();
    }

    /**
     * Sets the x axis to {@code [min, max]} with ticks at whole numbers, each labelled as {@code label}
     * says (a trial's number, an epoch, a choice's value).
     *
     * <p>XChart loops forever when two ticks of an axis get the same label (it takes that for a
     * format too coarse and tries again), so {@code label} must give each whole number its own text,
     * and any other value is labelled as the number it is.
     */
    static void wholeNumberXAxis(XYChart chart, double min, double max, IntFunction<String> label) {
        chart.getStyler().setXAxisMin(min);
        chart.getStyler().setXAxisMax(max);
        // XChart's first tick spacing is this hint in pixels; a unit of the axis is at most about
        // 800 / (max - min) pixels wide, so ticks start a unit or more apart. Past the plot's width
        // XChart would draw no tick at all.
        chart.getStyler().setXAxisTickMarkSpacingHint((int) Math.max(
                chart.getStyler().getXAxisTickMarkSpacingHint(), Math.min(500, Math.ceil(800 / (max - min)))));
        chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> {
            double whole = Math.rint(x);
            return Math.abs(x - whole) < 1e-9 ? label.apply((int) whole) : Charts.plain(x);
        });
    }
}
