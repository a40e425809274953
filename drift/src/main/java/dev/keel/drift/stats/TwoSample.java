package dev.keel.drift.stats;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * Two-sample statistics of a reference sample and a new one, each defined as SciPy computes it
 * (and as Evidently calls it for drift), so that Keel's numbers can be checked against SciPy's.
 * Pure functions of their arguments; samples hold no missing values.
 */
public final class TwoSample {
    /** SciPy's {@code ks_2samp} computes the exact p-value up to this size of the larger sample, else the asymptotic one. */
    static final int KS_EXACT_MAX = 10_000;
    /** Evidently's floor on the reference's standard deviation that the Wasserstein distance is divided by. */
    static final double MIN_STD = 0.001;

    private TwoSample() {}

    /**
     * A statistic and, for a test, its p-value.
     *
     * @param statistic the test statistic, or the distance
     * @param pValue the p-value, or NaN for a distance
     */
    public record Outcome(double statistic, double pValue) {}

    /**
     * The two-sample Kolmogorov-Smirnov test, two-sided, as {@code scipy.stats.ks_2samp} (method
     * auto): the exact p-value while the larger sample has at most 10,000 values, else the
     * asymptotic one.
     */
    public static Outcome kolmogorovSmirnov(double[] reference, double[] current) {
        PValueMethod method = Math.max(reference.length, current.length) <= KS_EXACT_MAX ? PValueMethod.EXACT
                : PValueMethod.ASYMPTOTIC;
        var result = KolmogorovSmirnovTest.withDefaults().with(method).test(reference, current);
        return new Outcome(result.getStatistic(), result.getPValue());
    }

    /**
     * The first Wasserstein distance between the two empirical distributions, as
     * {@code scipy.stats.wasserstein_distance}: the area between their cumulative distribution functions.
     */
    public static double wasserstein(double[] reference, double[] current) {
        double[] u = reference.clone();
        double[] v = current.clone();
        Arrays.sort(u);
        Arrays.sort(v);
        double[] all = new double[u.length + v.length];
        System.arraycopy(u, 0, all, 0, u.length);
        System.arraycopy(v, 0, all, u.length, v.length);
        Arrays.sort(all);
        double area = 0;
        int i = 0;
        int j = 0;
        for (int k = 0; k < all.length - 1; k++) {
            // The share of each sample at or below all[k]: the two step functions between all[k] and all[k + 1].
            while (i < u.length && u[i] <= all[k]) {
                i++;
            }
            while (j < v.length && v[j] <= all[k]) {
                j++;
            }
            area += Math.abs((double) i / u.length - (double) j / v.length) * (all[k + 1] - all[k]);
        }
        return area;
    }

    /**
     * The Wasserstein distance divided by the reference's (population) standard deviation, at least
     * 0.001, as Evidently's {@code wasserstein} drift test: in units of the reference's spread.
     */
    public static double normedWasserstein(double[] reference, double[] current) {
        return wasserstein(reference, current) / Math.max(populationStd(reference), MIN_STD);
    }

    /** The standard deviation with divisor n, as {@code numpy.std}. */
    public static double populationStd(double[] values) {
        double mean = Arrays.stream(values).average().orElse(0);
        double squares = Arrays.stream(values).map(x -> (x - mean) * (x - mean)).sum();
        return values.length == 0 ? 0 : Math.sqrt(squares / values.length);
    }

    /**
     * Pearson's chi-squared test of the current counts against the reference's proportions scaled
     * to the current count, over the union of the categories, as Evidently's {@code chisquare}
     * ({@code scipy.stats.chisquare(observed, expected)}). A category the reference lacks expects
     * nothing: the statistic is infinite and the p-value 0, as SciPy's.
     */
    public static Outcome chiSquare(Map<String, Integer> reference, Map<String, Integer> current) {
        List<String> keys = union(reference, current);
        double referenceTotal = total(reference);
        double currentTotal = total(current);
        double[] expected = new double[keys.size()];
        long[] observed = new long[keys.size()];
        boolean unexpected = false;
        for (int k = 0; k < keys.size(); k++) {
            expected[k] = reference.getOrDefault(keys.get(k), 0) / referenceTotal * currentTotal;
            observed[k] = current.getOrDefault(keys.get(k), 0);
            unexpected |= expected[k] == 0 && observed[k] > 0;
        }
        if (unexpected) {
            return new Outcome(Double.POSITIVE_INFINITY, 0);
        }
        if (keys.size() < 2) {
            // One category in both: nothing can differ (and the test has no degrees of freedom).
            return new Outcome(0, 1);
        }
        var result = ChiSquareTest.withDefaults().test(expected, observed);
        return new Outcome(result.getStatistic(), result.getPValue());
    }

    /**
     * The two-proportion Z-test of a column with two values, as Evidently's {@code z}: the share of
     * one value in each sample, the pooled share, {@code z = (p1 - p2) / sqrt(P (1 - P) (1/n1 + 1/n2))}
     * and the two-sided p-value {@code 2 (1 - Phi(|z|))}. One value in both samples: z 0, p-value 1.
     *
     * @throws IllegalArgumentException if the two samples hold more than two values between them
     */
    public static Outcome proportionZ(Map<String, Integer> reference, Map<String, Integer> current) {
        List<String> keys = union(reference, current);
        if (keys.size() > 2) {
            throw new IllegalArgumentException("the Z-test compares columns of two values; these hold " + keys.size());
        }
        if (keys.size() < 2) {
            return new Outcome(0, 1);
        }
        double n1 = total(reference);
        double n2 = total(current);
        double p1 = reference.getOrDefault(keys.get(0), 0) / n1;
        double p2 = current.getOrDefault(keys.get(0), 0) / n2;
        double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
        double z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
        return new Outcome(z, 2 * NormalDistribution.of(0, 1).survivalProbability(Math.abs(z)));
    }

    /**
     * The Jensen-Shannon distance (natural logarithm) between the two samples' category proportions
     * over the union of their categories, as {@code scipy.spatial.distance.jensenshannon}: the square
     * root of the divergence, between 0 and {@code sqrt(ln 2)}.
     */
    public static double jensenShannon(Map<String, Integer> reference, Map<String, Integer> current) {
        List<String> keys = union(reference, current);
        double referenceTotal = total(reference);
        double currentTotal = total(current);
        double divergence = 0;
        for (String key : keys) {
            double p = reference.getOrDefault(key, 0) / referenceTotal;
            double q = current.getOrDefault(key, 0) / currentTotal;
            double m = (p + q) / 2;
            divergence += relativeEntropy(p, m) + relativeEntropy(q, m);
        }
        return Math.sqrt(Math.max(divergence, 0) / 2);
    }

    /** {@code p ln(p / m)}, 0 where p is 0, as {@code scipy.special.rel_entr}. */
    private static double relativeEntropy(double p, double m) {
        return p == 0 ? 0 : p * Math.log(p / m);
    }

    /** The reference's categories, then the new ones, each once, in the order met. */
    private static List<String> union(Map<String, Integer> reference, Map<String, Integer> current) {
        Set<String> keys = new LinkedHashSet<>(reference.keySet());
        keys.addAll(current.keySet());
        return List.copyOf(keys);
    }

    private static double total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }
}
