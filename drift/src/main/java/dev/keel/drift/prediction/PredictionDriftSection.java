package dev.keel.drift.prediction;

import dev.keel.trainer.plot.Charts;
import dev.keel.trainer.report.Html;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;

/**
 * The predictions section of drift.html: the verdict, the predicted-class shares of both sides
 * (table and bar chart), confidence and the review share, real and estimated accuracy with the
 * estimate's interval and the calibration map behind it. An HTML fragment, every text escaped.
 */
public final class PredictionDriftSection {
    private PredictionDriftSection() {}

    /** The section as an HTML fragment, starting with its {@code <h2>}. */
    public static String html(PredictionDriftResult result) {
        Html html = new Html();
        ClassDistributionShift shift = result.classes();
        AccuracyEstimate estimate = result.estimate();
        html.heading("Predictions");
        html.paragraph((result.drift() ? "Drift: the predicted classes shifted" : "The predicted classes did not shift")
                + " (" + shift.test() + ", chi² " + number(shift.chiSquared()) + " on " + shift.degreesOfFreedom()
                + " degrees of freedom, p = " + number(shift.pValue()) + "; Jensen-Shannon distance "
                + number(shift.jensenShannonDistance()) + "; " + count(shift.referenceItems())
                + " reference validation and " + count(shift.newItems()) + " new predictions).");
        ConfidenceSummary confidence = result.confidence();
        List<List<String>> pairs = new ArrayList<>();
        pairs.add(List.of("mean confidence, reference validation / new", number(confidence.referenceMean()) + " / "
                + number(confidence.newMean())));
        pairs.add(List.of("share below review_below " + number(confidence.reviewBelow()) + ", reference / new",
                percent(confidence.referenceShareBelow()) + " / " + percent(confidence.newShareBelow())));
        pairs.add(List.of("accuracy on the reference validation split", percent(result.referenceAccuracy())));
        pairs.add(List.of("accuracy on the new data", result.newAccuracy() == null ? "not known (no labels)"
                : percent(result.newAccuracy())));
        pairs.add(List.of("estimated accuracy on the new data", percent(estimate.estimatedAccuracy()) + " ("
                + Math.round(estimate.level() * 100) + "% interval " + percent(estimate.lower()) + " to "
                + percent(estimate.upper()) + ")"));
        pairs.add(List.of("estimated how", estimate.method() + ", " + estimate.resamples() + " resamples"));
        html.pairs(pairs);
        List<List<String>> rows = new ArrayList<>();
        for (ClassShare share : shift.shares()) {
            rows.add(List.of(share.className(), percent(share.referenceShare()), percent(share.newShare())));
        }
        html.table(List.of("class", "reference validation share", "new share"), rows);
        html.figure(png(sharesChart(shift)), "predicted-class shares", "Share of predictions per class");
        html.figure(Charts.png(calibrationChart(estimate.calibration())), "calibration map",
                "Confidence calibrated to correctness on the reference validation split (isotonic regression)");
        return html.toString();
    }

    /** Bars of each class's share of predictions, reference validation beside new. */
    public static CategoryChart sharesChart(ClassDistributionShift shift) {
        Charts.headless();
        CategoryChart chart = new CategoryChartBuilder().width(Charts.WIDTH).height(Charts.HEIGHT)
                .title("Predicted classes").xAxisTitle("class").yAxisTitle("share of predictions").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setSeriesColors(new Color[] {Charts.BLUE, Charts.ORANGE});
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setXAxisLabelRotation(shift.shares().size() > 6 ? 45 : 0);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        List<String> names = shift.shares().stream().map(ClassShare::className).toList();
        chart.addSeries("reference validation", names, shift.shares().stream()
                .map(s -> (Number) s.referenceShare()).toList());
        chart.addSeries("new", names, shift.shares().stream().map(s -> (Number) s.newShare()).toList());
        return chart;
    }

    /** The isotonic map from confidence to accuracy, over the diagonal of a calibrated model. */
    public static XYChart calibrationChart(IsotonicCalibration calibration) {
        XYChart chart = Charts.xy("Calibration", "confidence (largest class probability)", "share right");
        Charts.line(chart, "calibrated (reference validation)", calibration.confidences(), calibration.accuracies(),
                Charts.BLUE);
        Charts.line(chart, "confidence = accuracy", new double[] {0, 1}, new double[] {0, 1}, Charts.GREEN);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        return chart;
    }

    private static byte[] png(CategoryChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the chart \"" + chart.getTitle() + "\" as PNG", e);
        }
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.2f%%", share * 100);
    }

    private static String count(int value) {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
