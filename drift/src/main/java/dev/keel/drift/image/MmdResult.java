package dev.keel.drift.image;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What the MMD permutation test found ({@link MmdTest}).
 *
 * @param mmd2 the unbiased estimate of MMD² between the two samples
 * @param pValue the share of permutations whose MMD² was at least {@code mmd2}
 * @param bandwidth the RBF kernel's sigma, from the median heuristic on the pooled samples
 * @param permutations how many permutations the p-value is counted over
 * @param seed the permutations' seed
 * @param referenceItems rows of the reference sample
 * @param newItems rows of the new sample
 * @param alpha the level drift is reported below
 * @param drift whether {@code pValue < alpha}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MmdResult(double mmd2, double pValue, double bandwidth, int permutations, long seed,
        int referenceItems, int newItems, double alpha, boolean drift) {}
