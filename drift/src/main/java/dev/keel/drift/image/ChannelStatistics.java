package dev.keel.drift.image;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * One channel's pixel values on both sides, scaled to [0, 1] (as {@code data.normalize} states them).
 *
 * @param channel the channel's index (0 for grayscale; 0, 1, 2 for red, green, blue)
 * @param referenceMean mean pixel value of the reference images
 * @param referenceStd standard deviation of the reference images' pixel values
 * @param newMean mean pixel value of the new images
 * @param newStd standard deviation of the new images' pixel values
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ChannelStatistics(int channel, double referenceMean, double referenceStd, double newMean,
        double newStd) {}
