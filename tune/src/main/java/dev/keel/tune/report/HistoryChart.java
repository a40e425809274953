package dev.keel.tune.report;

import dev.keel.trainer.plot.Charts;
import dev.keel.tune.study.Objective;
import dev.keel.tune.study.Trial;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowm.xchart.XYChart;

/**
 * The optimisation history: the objective of each trial by its number, after the last epoch it
 * trained (a colour for completed trials, one for each rung the others stopped at), and the best
 * completed so far as a line of steps that runs on to the last trial started.
 */
final class HistoryChart {
    static final String BEST = "best so far";

    private HistoryChart() {}

    /** The chart, or empty before a trial has trained an epoch. */
    static Optional<XYChart> of(List<Trial> trials, Objective objective) {
        Map<String, List<Trial>> groups = StudyCharts.byReach(trials);
        if (groups.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = Charts.xy("Optimisation history", "trial", objective.metric());
        int last = trials.stream().mapToInt(Trial::number).max().orElseThrow();
        StudyCharts.wholeNumberXAxis(chart, -0.5, last + 0.5, Integer::toString);
        int stopped = 0;
        for (Map.Entry<String, List<Trial>> group : groups.entrySet()) {
            Charts.scatter(chart, group.getKey(), group.getValue().stream().mapToDouble(Trial::number).toArray(),
                    StudyCharts.lastObjective(group.getValue()), StudyCharts.colour(group.getKey(),
                            group.getKey().equals(StudyCharts.COMPLETED) ? 0 : stopped++));
        }
        StudyCharts.plainYAxis(chart);
        List<Trial> completed = StudyCharts.completed(trials);
        if (completed.isEmpty()) {
            Charts.fitYAxis(chart);
            return Optional.of(chart);
        }
        List<double[]> steps = new ArrayList<>();
        double best = Double.NaN;
        for (Trial trial : completed) {
            double value = trial.value();
            if (Double.isNaN(best)) {
                best = value;
            } else if (objective.direction().lowerIsBetter(value) < objective.direction().lowerIsBetter(best)) {
                steps.add(new double[] {trial.number(), best});
                best = value;
            } else {
                continue;
            }
            steps.add(new double[] {trial.number(), best});
        }
        steps.add(new double[] {last, best});
        Charts.line(chart, BEST, steps.stream().mapToDouble(p -> p[0]).toArray(),
                steps.stream().mapToDouble(p -> p[1]).toArray(), Charts.ORANGE);
        Charts.fitYAxis(chart);
        return Optional.of(chart);
    }
}
