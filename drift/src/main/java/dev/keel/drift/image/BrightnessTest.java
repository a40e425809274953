package dev.keel.drift.image;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The two-sample Kolmogorov-Smirnov test of the images' mean brightness (each image's mean pixel
 * value over its channels, in [0, 1]), every reference image against every new one.
 *
 * @param test the test, in words
 * @param statistic the KS statistic D: the largest gap between the two empirical distribution functions
 * @param pValue its p-value (commons-statistics' two-sided test, exact or asymptotic as it chooses by sample size)
 * @param referenceItems reference images
 * @param newItems new images
 * @param alpha the level drift is reported below
 * @param drift whether {@code pValue < alpha}
 * @param referenceMean the reference images' mean brightness
 * @param newMean the new images' mean brightness
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BrightnessTest(String test, double statistic, double pValue, int referenceItems, int newItems,
        double alpha, boolean drift, double referenceMean, double newMean) {}
