package dev.keel.trainer.report;

import dev.keel.trainer.plot.Charts;
import java.util.Optional;
import org.knowm.xchart.XYChart;

/** The momentum (sgd) or beta1 (adam, adamw) of each logged step: one-cycle moves it against the rate. */
final class MomentumChart {
    static final String SERIES = "momentum";

    private MomentumChart() {}

    /** The chart, or empty when no step line gives a momentum. */
    static Optional<XYChart> of(MetricsHistory history) {
        Points momentum = Points.of(history.steps(), MetricsHistory.Step::step, MetricsHistory.Step::momentum);
        if (momentum.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = Charts.xy("Momentum", "step", "momentum (sgd) or beta1 (adam)");
        Charts.stepXAxis(chart);
        Charts.line(chart, SERIES, momentum.x(), momentum.y(), Charts.PURPLE);
        Charts.fitYAxis(chart);
        return Optional.of(chart);
    }
}
