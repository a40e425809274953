package dev.keel.trainer.report;

import dev.keel.trainer.plot.Charts;
import java.util.Optional;
import org.knowm.xchart.XYChart;

/**
 * Loss against the step: the training loss of each logged step window as a thin line, and the
 * training and validation loss of each epoch as points at the step the epoch ended.
 */
final class LossChart {
    static final String STEPS = "train loss (logged steps)";
    static final String TRAIN = "train loss (epoch)";
    static final String VALID = "valid loss (epoch)";

    private LossChart() {}

    /** The chart, or empty when the history has no loss at all. */
    static Optional<XYChart> of(MetricsHistory history) {
        Points steps = Points.of(history.steps(), MetricsHistory.Step::step, MetricsHistory.Step::loss);
        Points train = Points.of(history.epochs(), MetricsHistory.Epoch::step, MetricsHistory.Epoch::trainLoss);
        Points valid = Points.of(history.epochs(), MetricsHistory.Epoch::step, MetricsHistory.Epoch::validLoss);
        if (steps.isEmpty() && train.isEmpty() && valid.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = Charts.xy("Loss", "step", "loss");
        Charts.stepXAxis(chart);
        if (!steps.isEmpty()) {
            Charts.line(chart, STEPS, steps.x(), steps.y(), Charts.BLUE).setLineWidth(1f);
        }
        if (!train.isEmpty()) {
            Charts.points(chart, TRAIN, train.x(), train.y(), Charts.GREEN);
        }
        if (!valid.isEmpty()) {
            Charts.points(chart, VALID, valid.x(), valid.y(), Charts.ORANGE);
        }
        Charts.fitYAxis(chart);
        return Optional.of(chart);
    }
}
