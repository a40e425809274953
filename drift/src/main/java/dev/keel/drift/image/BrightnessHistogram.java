package dev.keel.drift.image;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Each side's images by mean brightness, in equal bins over [0, 1].
 *
 * @param binEdges the {@code bins + 1} edges of the bins, from 0 to 1
 * @param referenceShares the share of the reference images in each bin (summing to 1)
 * @param newShares the share of the new images in each bin (summing to 1)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BrightnessHistogram(double[] binEdges, double[] referenceShares, double[] newShares) {

    /** Histograms of {@code reference} and {@code fresh} (values in [0, 1]) over {@code bins} bins. */
    public static BrightnessHistogram of(double[] reference, double[] fresh, int bins) {
        double[] edges = new double[bins + 1];
        for (int b = 0; b <= bins; b++) {
            edges[b] = (double) b / bins;
        }
        return new BrightnessHistogram(edges, shares(reference, bins), shares(fresh, bins));
    }

    private static double[] shares(double[] values, int bins) {
        double[] shares = new double[bins];
        for (double v : values) {
            shares[Math.min(bins - 1, Math.max(0, (int) (v * bins)))]++;
        }
        for (int b = 0; b < bins; b++) {
            shares[b] /= Math.max(1, values.length);
        }
        return shares;
    }
}
