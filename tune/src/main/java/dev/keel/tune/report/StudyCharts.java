package dev.keel.tune.report;

import dev.keel.tune.study.TrialState;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.keel.trainer.plot.Charts;
import dev.keel.tune.study.Trial;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;
import org.knowm.xchart.XYChart;

/** What the study's charts share: which trials they plot, and x axes with ticks at whole numbers. */
final class StudyCharts {
    /** The group of {@link #byReach} that holds the completed trials. */
    static final String COMPLETED = "completed";
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
     * The trials with a finite objective after some epoch, grouped by how far they trained, each at
     * the objective of the last epoch it trained: completed trials first, then those stopped after
     * the most epochs. Under ASHA most trials never complete, and their values at a rung still say
     * where the space is good.
     */
    static Map<String, List<Trial>> byReach(List<Trial> trials) {
        Map<String, List<Trial>> groups = new LinkedHashMap<>();
        List<Trial> ranked = trials.stream().filter(t -> t.lastValue() != null && Double.isFinite(t.lastValue()))
                .sorted(Comparator.comparing((Trial t) -> t.state() != TrialState.COMPLETE)
                        .thenComparing(Comparator.comparingInt(Trial::epochsDone).reversed())
                        .thenComparingInt(Trial::number))
                .toList();
        for (Trial trial : ranked) {
            String label = trial.state() == TrialState.COMPLETE ? COMPLETED
                    : "stopped after epoch " + trial.epochsDone();
            groups.computeIfAbsent(label, k -> new ArrayList<>()).add(trial);
        }
        return groups;
    }

    /**
     * The colour of a group of {@link #byReach}: blue for completed trials, and for the {@code
     * index}th group of stopped ones a colour that is neither the best-so-far line's orange nor the
     * best trial's red.
     */
    static Color colour(String group, int index) {
        if (group.equals(COMPLETED)) {
            return Charts.BLUE;
        }
        Color[] stopped = {Charts.GREEN, Charts.PURPLE, Charts.color(5), Charts.color(6), Charts.color(7)};
        return stopped[index % stopped.length];
    }

    /** The y values of {@code trials}: the objective after the last epoch each trained. */
    static double[] lastObjective(List<Trial> trials) {
        return trials.stream().mapToDouble(Trial::lastValue).toArray();
    }

    /** Labels the y axis with at most four decimals, not the fifteen a fitted range can give. */
    static void plainYAxis(XYChart chart) {
        chart.getStyler().setYAxisDecimalPattern("0.####");
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
