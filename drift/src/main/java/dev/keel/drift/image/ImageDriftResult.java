package dev.keel.drift.image;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * What the image comparison found: the section of the drift report on images.
 *
 * @param referenceItems reference images (the run's training split)
 * @param newItems new images
 * @param newLabelled whether the new images came with labels (class subfolders)
 * @param channels pixel statistics per channel, of every image on each side
 * @param brightness the Kolmogorov-Smirnov test of the per-image mean brightness
 * @param brightnessHistogram the shares of each side's images per brightness bin
 * @param newSizes the new images' sizes in their files; null when they were not read from files
 * @param embeddingWidth the width of the model's penultimate-layer embedding
 * @param mmd the MMD permutation test of the embeddings of the subsamples
 * @param domainClassifier the domain classifier on the same embeddings, a second opinion
 * @param drift the verdict: whether the MMD test found the embeddings drifted
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ImageDriftResult(int referenceItems, int newItems, boolean newLabelled, List<ChannelStatistics> channels,
        BrightnessTest brightness, BrightnessHistogram brightnessHistogram, NewImageSizes newSizes,
        int embeddingWidth, MmdResult mmd, DomainClassifierResult domainClassifier, boolean drift) {}
