package dev.keel.drift.prediction;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * How sure the model is on each side (confidence: its largest class probability).
 *
 * @param referenceMean the mean confidence on the reference validation split
 * @param newMean the mean confidence on the new data
 * @param reviewBelow the run's {@code interpret.review_below}: predictions under it go to review
 * @param referenceShareBelow the share of reference predictions under {@code reviewBelow}
 * @param newShareBelow the share of new predictions under {@code reviewBelow}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ConfidenceSummary(double referenceMean, double newMean, double reviewBelow, double referenceShareBelow,
        double newShareBelow) {}
