package dev.keel.trainer.report;

import dev.keel.trainer.fit.GroupRate;
import dev.keel.trainer.plot.Charts;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.knowm.xchart.XYChart;

/**
 * The learning rate of each logged step. A fine-tuning run's groups train at rates orders of
 * magnitude apart, so each gets its own line on a log scale; a frozen group is not updated, so its
 * line breaks off while it is frozen.
 */
final class LearningRateChart {
    static final String SINGLE = "lr";

    private LearningRateChart() {}

    /** The chart, or empty when no step line gives a rate. */
    static Optional<XYChart> of(MetricsHistory history) {
        return history.hasGroups() ? perGroup(history) : single(history);
    }

    private static Optional<XYChart> single(MetricsHistory history) {
        Points lr = Points.of(history.steps(), MetricsHistory.Step::step, MetricsHistory.Step::lr);
        if (lr.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = Charts.xy("Learning rate", "step", "learning rate");
        Charts.stepXAxis(chart);
        Charts.line(chart, SINGLE, lr.x(), lr.y(), Charts.BLUE);
        Charts.fitYAxis(chart);
        return Optional.of(chart);
    }

    private static Optional<XYChart> perGroup(MetricsHistory history) {
        List<MetricsHistory.Step> steps = history.steps();
        Set<String> names = new LinkedHashSet<>();
        steps.forEach(step -> step.groups().forEach(group -> names.add(group.name())));
        XYChart chart = Charts.xy("Learning rate per parameter group", "step", "learning rate (log scale)");
        Charts.stepXAxis(chart);
        Charts.logAxis(chart, false);
        double[] x = steps.stream().mapToDouble(MetricsHistory.Step::step).toArray();
        int colour = 0;
        for (String name : names) {
            double[] y = steps.stream().mapToDouble(step -> trainedRate(step, name)).toArray();
            if (Arrays.stream(y).anyMatch(Double::isFinite)) {
                Charts.line(chart, name, x, y, Charts.color(colour++));
            }
        }
        return colour == 0 ? Optional.empty() : Optional.of(chart);
    }

    /** The group's rate at a step; NaN (a gap in its line) where it is frozen, absent or not positive. */
    private static double trainedRate(MetricsHistory.Step step, String name) {
        return step.groups().stream().filter(g -> g.name().equals(name) && !g.frozen() && g.learningRate() > 0)
                .mapToDouble(GroupRate::learningRate).findFirst().orElse(Double.NaN);
    }
}
