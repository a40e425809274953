package dev.keel.tune.report;

import dev.keel.trainer.plot.Charts;
import dev.keel.trainer.report.Format;
import dev.keel.tune.space.Choice;
import dev.keel.tune.space.Distribution;
import dev.keel.tune.space.IntRange;
import dev.keel.tune.space.LogUniform;
import dev.keel.tune.space.Uniform;
import dev.keel.tune.study.Objective;
import dev.keel.tune.study.Trial;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleUnaryOperator;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The objective of each trial after the last epoch it trained (a colour for completed trials, one
 * for each rung the others stopped at) against its value of one parameter, over the parameter's
 * whole range: a log axis for log-uniform values (labelled at powers of ten) and for log-scale
 * integers (labelled at powers of two), a choice's values under its positions. The best trial is
 * a red diamond.
 */
final class ParameterChart {
    /** The longest label under a choice's position. */
    static final int LABEL_LENGTH = 24;

    private ParameterChart() {}

    /** The chart of {@code key}, or empty before a trial has trained an epoch. */
    static Optional<XYChart> of(String key, Distribution distribution, List<Trial> trials, Objective objective,
            Optional<Trial> best) {
        Map<String, List<Trial>> groups = StudyCharts.byReach(trials);
        if (groups.isEmpty()) {
            return Optional.empty();
        }
        boolean log = distribution instanceof LogUniform || distribution instanceof IntRange range && range.log();
        XYChart chart = Charts.xy(objective.metric() + " against " + key, key + (log ? " (log scale)" : ""),
                objective.metric());
        DoubleUnaryOperator position = axis(chart, distribution);
        int stopped = 0;
        for (Map.Entry<String, List<Trial>> group : groups.entrySet()) {
            Charts.scatter(chart, group.getKey(), group.getValue().stream()
                    .mapToDouble(t -> position.applyAsDouble(t.params().get(key))).toArray(),
                    StudyCharts.lastObjective(group.getValue()), StudyCharts.colour(group.getKey(),
                            group.getKey().equals(StudyCharts.COMPLETED) ? 0 : stopped++));
        }
        StudyCharts.plainYAxis(chart);
        best.ifPresent(trial -> {
            XYSeries series = Charts.scatter(chart, "best: trial " + trial.number(),
                    new double[] {position.applyAsDouble(trial.params().get(key))}, new double[] {trial.value()},
                    Charts.RED);
            series.setMarker(SeriesMarkers.DIAMOND);
        });
        Charts.fitYAxis(chart);
        return Optional.of(chart);
    }

    /** Lays the x axis over the distribution's range; returns where a value (internal form) goes on it. */
    private static DoubleUnaryOperator axis(XYChart chart, Distribution distribution) {
        if (distribution instanceof Uniform uniform) {
            chart.getStyler().setXAxisMin(uniform.low());
            chart.getStyler().setXAxisMax(uniform.high());
            chart.getStyler().setxAxisTickLabelsFormattingFunction(Charts::plain);
            return DoubleUnaryOperator.identity();
        }
        if (distribution instanceof LogUniform logUniform) {
            if (logUniform.high() / logUniform.low() >= 100) {
                Charts.logAxis(chart, true);
            } else {
                chart.getStyler().setXAxisLogarithmic(true); // less than two powers of ten: label 1 to 9 times them
            }
            chart.getStyler().setXAxisMin(logUniform.low());
            chart.getStyler().setXAxisMax(logUniform.high());
            return DoubleUnaryOperator.identity();
        }
        if (distribution instanceof IntRange ints && ints.log()) {
            // Log-scale integers are mostly sizes, powers of two: their base-2 logarithm, labelled 2^k.
            StudyCharts.wholeNumberXAxis(chart, log2(ints.low()), log2(ints.high()),
                    k -> k >= 0 && k < 63 ? Long.toString(1L << k) : "2^" + k);
            return ParameterChart::log2;
        }
        if (distribution instanceof IntRange ints) {
            StudyCharts.wholeNumberXAxis(chart, ints.low() - 0.5, ints.high() + 0.5, Integer::toString);
            return DoubleUnaryOperator.identity();
        }
        List<String> labels = choiceLabels((Choice) distribution);
        StudyCharts.wholeNumberXAxis(chart, -0.5, labels.size() - 0.5,
                i -> i >= 0 && i < labels.size() ? labels.get(i) : "(" + i + ")");
        return DoubleUnaryOperator.identity();
    }

    /**
     * Each value's text, cut to {@value #LABEL_LENGTH} characters; a text that two values share gets
     * its position, as every tick needs a label of its own.
     */
    static List<String> choiceLabels(Choice choice) {
        List<String> texts = choice.values().stream().map(Format::text).map(text -> text.length() > LABEL_LENGTH
                ? text.substring(0, LABEL_LENGTH - 1) + "…" : text).toList();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            labels.add(Collections.frequency(texts, texts.get(i)) > 1 ? texts.get(i) + " (" + i + ")" : texts.get(i));
        }
        return labels;
    }

    private static double log2(double value) {
        return Math.log(value) / Math.log(2);
    }
}
