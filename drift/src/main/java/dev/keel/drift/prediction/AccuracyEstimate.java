package dev.keel.drift.prediction;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Accuracy estimated without labels ({@link Cbpe}).
 *
 * @param method how, in words
 * @param estimatedAccuracy the mean calibrated confidence of the new predictions
 * @param lower the interval's lower end
 * @param upper the interval's upper end
 * @param level the interval's coverage
 * @param resamples bootstrap resamples behind the interval
 * @param seed the resampling's seed
 * @param calibrationItems validation items the calibration was fitted on
 * @param newItems new items estimated
 * @param calibration the fitted map from confidence to the probability of being right
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AccuracyEstimate(String method, double estimatedAccuracy, double lower, double upper, double level,
        int resamples, long seed, int calibrationItems, int newItems, IsotonicCalibration calibration) {}
