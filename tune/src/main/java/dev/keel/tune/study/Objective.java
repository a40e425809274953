package dev.keel.tune.study;

import dev.keel.tune.trial.TrialReport;

/** What a study optimises: a validation metric after each epoch, and which way is better. */
public record Objective(String metric, Direction direction) {
    /** The metrics a trial reports after each epoch. */
    public static final java.util.List<String> METRICS = java.util.List.of("valid_accuracy", "valid_loss");

    public Objective {
        if (!METRICS.contains(metric)) {
            throw new IllegalArgumentException("unknown objective " + metric);
        }
    }

    /** The objective's value after {@code epoch}. */
    public double of(TrialReport.EpochMetrics epoch) {
        return metric.equals("valid_accuracy") ? epoch.validAccuracy() : epoch.validLoss();
    }

    /** The direction a metric is better in when the study does not say: accuracy up, loss down. */
    public static Direction naturalDirection(String metric) {
        return metric.equals("valid_loss") ? Direction.MINIMIZE : Direction.MAXIMIZE;
    }
}
