package dev.keel.drift.prediction;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.keel.drift.report.DriftSection;
import dev.keel.trainer.report.Html;
import java.util.Locale;

/**
 * The predictions section of a drift report: drift.json holds the result itself, drift.html its
 * fragment. A shift of the predicted classes is reported but is not data drift: it does not change
 * the exit code (the data sections decide it).
 */
public record PredictionsSection(@JsonValue PredictionDriftResult result) implements DriftSection {

    @Override
    public String key() {
        return "predictions";
    }

    @Override
    public boolean drifted() {
        return false;
    }

    @Override
    public String summary() {
        AccuracyEstimate estimate = result.estimate();
        String accuracy = result.newAccuracy() != null
                ? String.format(Locale.ROOT, "accuracy %.2f%%", 100 * result.newAccuracy())
                : String.format(Locale.ROOT, "estimated accuracy %.2f%% [%.2f, %.2f]", 100 * estimate.estimatedAccuracy(),
                        100 * estimate.lower(), 100 * estimate.upper());
        return String.format(Locale.ROOT, "predictions: %s (chi-squared p %.3g), mean confidence %.3f -> %.3f, %s"
                        + " (validation %.2f%%)", result.classes().drift() ? "classes shifted" : "classes steady",
                result.classes().pValue(), result.confidence().referenceMean(), result.confidence().newMean(), accuracy,
                100 * result.referenceAccuracy());
    }

    @Override
    public void render(Html html) {
        html.raw(PredictionDriftSection.html(result));
    }
}
