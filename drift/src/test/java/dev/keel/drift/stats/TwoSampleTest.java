package dev.keel.drift.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keel's two-sample statistics against SciPy 1.10's on small samples; the expected values were
 * computed with scipy.stats.ks_2samp, wasserstein_distance, chisquare, scipy.spatial.distance.jensenshannon
 * and the Z-test's formula with scipy.stats.norm (tools/drift_vs_scipy.py checks many more).
 */
class TwoSampleTest {
    private static final double[] A = {0.1, 0.4, 0.35, 0.8, 1.2, 0.9, 0.05, 0.6};
    private static final double[] B = {0.5, 1.1, 1.3, 0.7, 1.6, 0.95, 1.4};

    @Test
    void kolmogorovSmirnovHasScipysStatisticAndExactPValue() {
        TwoSample.Outcome ks = TwoSample.kolmogorovSmirnov(A, B);
        assertEquals(0.5892857142857143, ks.statistic(), 1e-12);
        assertEquals(0.11810411810411808, ks.pValue(), 1e-9);
    }

    @Test
    void kolmogorovSmirnovWithTiesAsScipy() {
        TwoSample.Outcome ks = TwoSample.kolmogorovSmirnov(new double[] {1, 1, 2, 2, 3, 3, 3, 4},
                new double[] {2, 3, 3, 4, 4, 5, 5});
        assertEquals(0.44642857142857145, ks.statistic(), 1e-12);
        assertEquals(0.3728049728049728, ks.pValue(), 1e-6);
    }

    @Test
    void wassersteinIsScipysAndNormedByTheReferencesPopulationStd() {
        assertEquals(0.5285714285714286, TwoSample.wasserstein(A, B), 1e-12);
        assertEquals(1.4095238095238096, TwoSample.normedWasserstein(A, B), 1e-12);
        assertEquals(0, TwoSample.wasserstein(A, A.clone()), 0);
        assertEquals(2.0, TwoSample.wasserstein(new double[] {0, 1}, new double[] {2, 3}), 1e-12);
    }

    @Test
    void chiSquareTestsCurrentCountsAgainstReferenceProportions() {
        TwoSample.Outcome chi = TwoSample.chiSquare(counts("red", 30, "green", 50, "blue", 20),
                counts("red", 20, "green", 45, "blue", 35));
        assertEquals(15.083333333333334, chi.statistic(), 1e-12);
        assertEquals(0.0005305126967376502, chi.pValue(), 1e-12);
        TwoSample.Outcome unseen = TwoSample.chiSquare(counts("a", 10, "b", 10), counts("a", 5, "b", 10, "c", 5));
        assertEquals(Double.POSITIVE_INFINITY, unseen.statistic(), "a category the reference lacks expects nothing");
        assertEquals(0, unseen.pValue());
    }

    @Test
    void proportionZTestIsEvidentlysTwoSidedTest() {
        TwoSample.Outcome z = TwoSample.proportionZ(counts("yes", 40, "no", 60), counts("yes", 55, "no", 45));
        assertEquals(-2.1239769762143665, z.statistic(), 1e-12);
        assertEquals(0.03367206885634566, z.pValue(), 1e-12);
        assertEquals(1, TwoSample.proportionZ(counts("yes", 4), counts("yes", 9)).pValue(), "one value on both sides");
        assertThrows(IllegalArgumentException.class, () -> TwoSample.proportionZ(counts("a", 1, "b", 2),
                counts("c", 3)));
    }

    @Test
    void jensenShannonDistanceOverTheUnionOfCategories() {
        assertEquals(0.12668884729860683, TwoSample.jensenShannon(counts("red", 30, "green", 50, "blue", 20),
                counts("red", 20, "green", 45, "blue", 35)), 1e-12);
        assertEquals(0.328452092654953, TwoSample.jensenShannon(counts("a", 10, "b", 10),
                counts("a", 5, "b", 10, "c", 5)), 1e-12);
        assertEquals(Math.sqrt(Math.log(2)), TwoSample.jensenShannon(counts("a", 3), counts("b", 7)), 1e-12,
                "disjoint samples are as far apart as can be");
    }

    private static Map<String, Integer> counts(Object... pairs) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            counts.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return counts;
    }
}
