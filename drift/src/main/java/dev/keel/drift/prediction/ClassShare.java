package dev.keel.drift.prediction;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One class's share of the predictions on each side.
 *
 * @param className the class
 * @param referenceShare its share of the reference validation split's predictions
 * @param newShare its share of the new data's predictions
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ClassShare(String className, double referenceShare, double newShare) {}
