package dev.keel.drift.image;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The maximum mean discrepancy two-sample test with a Gaussian RBF kernel, as Alibi Detect's
 * {@code MMDDrift} runs it: the bandwidth from the median heuristic on the pooled samples, the
 * unbiased estimate of MMD², and a p-value from a seeded permutation test (the share of
 * permutations of the pooled samples whose MMD² is at least the observed one).
 */
public final class MmdTest {
    private MmdTest() {}

    /**
     * Tests whether {@code reference} and {@code fresh} (rows of equal width, at least two each)
     * come from the same distribution.
     *
     * @param permutations how many random relabellings of the pooled rows the p-value is counted over
     * @param alpha drift is reported when the p-value is below it
     * @param seed the permutations' seed: the same inputs and seed give the same p-value
     */
    public static MmdResult test(double[][] reference, double[][] fresh, int permutations, double alpha, long seed) {
        if (reference.length < 2 || fresh.length < 2) {
            throw new IllegalArgumentException("the MMD test needs at least two rows on each side, got "
                    + reference.length + " and " + fresh.length);
        }
        if (permutations < 1) {
            throw new IllegalArgumentException("permutations must be at least 1, got " + permutations);
        }
        double[][] pooled = new double[reference.length + fresh.length][];
        System.arraycopy(reference, 0, pooled, 0, reference.length);
        System.arraycopy(fresh, 0, pooled, reference.length, fresh.length);
        double[][] squared = squaredDistances(pooled);
        double bandwidth = medianHeuristic(squared);
        int n = pooled.length;
        double scale = 1 / (2 * bandwidth * bandwidth);
        // The kernel replaces the distances in place: one n x n matrix is all the test holds.
        double[][] kernel = squared;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                kernel[i][j] = i == j ? 1 : Math.exp(-squared[i][j] * scale);
            }
        }
        int m = reference.length;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double observed = mmd2(kernel, order, m);
        SplittableRandom random = new SplittableRandom(seed);
        int atLeast = 0;
        for (int p = 0; p < permutations; p++) {
            shuffle(order, random);
            if (mmd2(kernel, order, m) >= observed) {
                atLeast++;
            }
        }
        double pValue = (double) atLeast / permutations;
        return new MmdResult(observed, pValue, bandwidth, permutations, seed, m, fresh.length, alpha, pValue < alpha);
    }

    /**
     * The median heuristic: the square root of half the median squared distance between distinct
     * rows of {@code pooled} (Alibi Detect's {@code sigma_median}, which takes the lower median of
     * an even count). The kernel {@code exp(-d² / (2 sigma²))} is then {@code exp(-d² / median d²)}.
     * When more than half the pairs coincide the median is 0; the mean of the nonzero squared
     * distances stands in, and 1 when every row is the same.
     */
    public static double medianBandwidth(double[][] pooled) {
        return medianHeuristic(squaredDistances(pooled));
    }

    private static double medianHeuristic(double[][] squared) {
        int n = squared.length;
        double[] pairs = new double[n * (n - 1) / 2];
        int k = 0;
        double nonzeroSum = 0;
        int nonzero = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                pairs[k++] = squared[i][j];
                if (squared[i][j] > 0) {
                    nonzeroSum += squared[i][j];
                    nonzero++;
                }
            }
        }
        Arrays.sort(pairs);
        double median = pairs[(pairs.length - 1) / 2];
        if (!(median > 0)) {
            median = nonzero > 0 ? nonzeroSum / nonzero : 2;
        }
        return Math.sqrt(median / 2);
    }

    private static double[][] squaredDistances(double[][] rows) {
        int n = rows.length;
        int width = rows[0].length;
        double[][] squared = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (rows[i].length != width) {
                throw new IllegalArgumentException("rows of different widths: " + width + " and " + rows[i].length);
            }
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                double[] a = rows[i];
                double[] b = rows[j];
                for (int d = 0; d < width; d++) {
                    double diff = a[d] - b[d];
                    s += diff * diff;
                }
                squared[i][j] = s;
                squared[j][i] = s;
            }
        }
        return squared;
    }

    /**
     * The unbiased MMD² of the first {@code m} rows of {@code order} against the rest, from the
     * kernel matrix (its diagonal is left out of the within-sample means).
     */
    static double mmd2(double[][] kernel, int[] order, int m) {
        int n = order.length - m;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int a = 0; a < order.length; a++) {
            double[] row = kernel[order[a]];
            boolean aInX = a < m;
            for (int b = a + 1; b < order.length; b++) {
                double k = row[order[b]];
                boolean bInX = b < m;
                if (aInX && bInX) {
                    xx += k;
                } else if (!aInX && !bInX) {
                    yy += k;
                } else {
                    xy += k;
                }
            }
        }
        // Each within-sample pair was counted once: twice over the m(m-1) ordered pairs.
        return 2 * xx / ((double) m * (m - 1)) + 2 * yy / ((double) n * (n - 1)) - 2 * xy / ((double) m * n);
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
