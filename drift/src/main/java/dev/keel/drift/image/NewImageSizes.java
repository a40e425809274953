package dev.keel.drift.image;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * The new images' sizes in their files. Keel squishes every image to the model's square size and
 * converts it to the model's channels, as {@code keel predict} does; this says how many were.
 *
 * @param modelSize the side of the square the model takes
 * @param modelChannels the model's channels (1 grayscale, 3 RGB)
 * @param originalSizes how many files of each size, as {@code WIDTHxHEIGHT}
 * @param resized images whose file had another size than the model's, or colour for a grayscale model
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NewImageSizes(int modelSize, int modelChannels, Map<String, Integer> originalSizes, int resized) {}
