package dev.keel.drift.prediction;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What the model's predictions on new data show against its predictions on the reference's
 * validation split: the section of the drift report on predictions.
 *
 * @param referenceItems validation items of the reference
 * @param newItems new items
 * @param newLabelled whether the new items' labels are known
 * @param classes the shift in the predicted-class distribution
 * @param confidence mean confidences and shares below the review threshold
 * @param referenceAccuracy the accuracy on the reference validation split
 * @param newAccuracy the real accuracy on the new data; null without labels
 * @param estimate the accuracy on the new data estimated from confidence (given with labels too,
 *     to compare)
 * @param drift whether the predicted classes shifted ({@code classes.drift()})
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PredictionDriftResult(int referenceItems, int newItems, boolean newLabelled,
        ClassDistributionShift classes, ConfidenceSummary confidence, double referenceAccuracy, Double newAccuracy,
        AccuracyEstimate estimate, boolean drift) {}
