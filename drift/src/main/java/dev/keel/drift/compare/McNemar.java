package dev.keel.drift.compare;

import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.BinomialTest;

/**
 * McNemar's test of two models' per-item correctness on the same items. Only the discordant pairs
 * count: {@code b} items the champion gets right and the challenger wrong, {@code c} the other way
 * round. Under the hypothesis that neither model is better, each discordant item is a fair coin.
 *
 * @param b items the champion predicts right and the challenger wrong
 * @param c items the challenger predicts right and the champion wrong
 * @param exactP the exact test's p-value: the two-sided binomial test of {@code c} successes in
 *     {@code b + c} trials with probability 0.5, {@code min(1, 2 P(X <= min(b, c)))}; 1 when
 *     {@code b + c = 0}
 * @param chiSquared the statistic with Edwards' continuity correction, {@code (|b - c| - 1)^2 / (b + c)}
 *     (0 when {@code |b - c| <= 1}); the large-sample approximation, reported beside the exact test
 * @param chiSquaredP its p-value, from the chi-squared distribution with one degree of freedom
 */
public record McNemar(int b, int c, double exactP, double chiSquared, double chiSquaredP) {

    /** The test of {@code b} and {@code c} discordant items. */
    public static McNemar of(int b, int c) {
        if (b < 0 || c < 0) {
            throw new IllegalArgumentException("discordant counts cannot be negative: b=" + b + ", c=" + c);
        }
        int n = b + c;
        if (n == 0) {
            return new McNemar(0, 0, 1, 0, 1);
        }
        // With p = 0.5 the distribution is symmetric, and the two-sided p-value is twice the smaller
        // tail. BinomialTest's two-sided test sums the outcomes no likelier than the one observed, and
        // rounding can leave out the mirror of the observed count (b=40, c=60 gives 0.046, not
        // SciPy's 0.0569): doubling its one-sided tail is exact.
        double tail = BinomialTest.withDefaults().with(AlternativeHypothesis.LESS_THAN).test(n, Math.min(b, c), 0.5)
                .getPValue();
        double exact = Math.min(1, 2 * tail);
        double excess = Math.max(0, Math.abs(b - c) - 1);
        double chiSquared = excess * excess / n;
        double chiSquaredP = ChiSquaredDistribution.of(1).survivalProbability(chiSquared);
        return new McNemar(b, c, exact, chiSquared, chiSquaredP);
    }
}
