package dev.keel.drift.table;

import java.util.Map;

/**
 * The drift test of one column.
 *
 * @param column the column's name
 * @param type {@code numeric} or {@code categorical}, as the model's table transform typed it
 * @param test {@code ks}, {@code wasserstein}, {@code chisquare}, {@code z} or {@code jensenshannon};
 *     {@code none} when one side has no values (then the column drifted if only one side has none)
 * @param statistic the test statistic (KS D, the Wasserstein distance before norming, chi-squared,
 *     z) or the Jensen-Shannon distance; null for {@code none}
 * @param pValue the p-value of a test; null for a distance
 * @param distance the distance compared with the threshold (the normed Wasserstein distance, the
 *     Jensen-Shannon distance); null for a test
 * @param threshold drift when the p-value is below it, or the distance at or above it; null for {@code none}
 * @param drifted whether the column drifted
 * @param referenceSize the reference's values (missing ones left out)
 * @param newSize the new data's values (missing ones left out)
 * @param referenceMissingRate the share of the reference's rows with no value
 * @param newMissingRate the share of the new rows with no value
 * @param unseenCategories the new data's values that the reference never has, with their counts
 *     (categorical columns only)
 */
public record ColumnDrift(String column, String type, String test, Double statistic, Double pValue, Double distance,
        Double threshold, boolean drifted, int referenceSize, int newSize, double referenceMissingRate,
        double newMissingRate, Map<String, Integer> unseenCategories) {}
