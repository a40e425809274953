package dev.keel.trainer.report;

import dev.keel.trainer.plot.Charts;
import java.util.Locale;
import java.util.Optional;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Accuracy in percent against the epoch: validation accuracy after each epoch, and the final test
 * accuracy as a dashed horizontal line across the epochs (a diamond when there is one epoch).
 */
final class AccuracyChart {
    static final String VALID = "valid accuracy";
    static final String TEST = "test accuracy";

    private AccuracyChart() {}

    /** The chart, or empty when the history has neither validation nor test accuracy. */
    static Optional<XYChart> of(MetricsHistory history) {
        Points valid = Points.of(history.epochs(), MetricsHistory.Epoch::epoch, e -> 100 * e.validAccuracy());
        MetricsHistory.Test test = history.test();
        boolean hasTest = test != null && Double.isFinite(test.accuracy());
        if (valid.isEmpty() && !hasTest) {
            return Optional.empty();
        }
        XYChart chart = Charts.xy("Accuracy", "epoch", "accuracy (%)");
        if (!valid.isEmpty()) {
            Charts.points(chart, VALID, valid.x(), valid.y(), Charts.ORANGE);
        }
        if (hasTest) {
            double first = valid.isEmpty() ? 1 : valid.x()[0];
            double last = valid.isEmpty() ? Math.max(1, test.epoch()) : valid.x()[valid.x().length - 1];
            double percent = 100 * test.accuracy();
            XYSeries line = Charts.line(chart, String.format(Locale.ROOT, "%s %.2f%%", TEST, percent),
                    new double[] {first, last}, new double[] {percent, percent}, Charts.RED);
            line.setLineStyle(SeriesLines.DASH_DASH);
            line.setMarker(SeriesMarkers.DIAMOND);
            line.setMarkerColor(Charts.RED);
        }
        Charts.fitYAxis(chart);
        return Optional.of(chart);
    }
}
