package dev.keel.drift.prediction;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The shift in how often each class is predicted: reference validation predictions against new
 * ones. The verdict is Pearson's chi-squared test of homogeneity on the 2 x K table of predicted
 * counts (classes predicted on neither side left out); the Jensen-Shannon distance (base 2, 0 for
 * the same shares, 1 for shares with no class in common) says how large the shift is.
 *
 * @param shares each class's share on both sides, in the model's class order
 * @param test the test, in words
 * @param chiSquared the chi-squared statistic
 * @param degreesOfFreedom classes predicted on either side, less one
 * @param pValue the test's p-value
 * @param jensenShannonDistance the distance between the two share vectors
 * @param referenceItems reference predictions
 * @param newItems new predictions
 * @param alpha the level drift is reported below
 * @param drift whether {@code pValue < alpha}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ClassDistributionShift(List<ClassShare> shares, String test, double chiSquared, int degreesOfFreedom,
        double pValue, double jensenShannonDistance, int referenceItems, int newItems, double alpha, boolean drift) {}
