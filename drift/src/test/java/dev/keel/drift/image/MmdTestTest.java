package dev.keel.drift.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MmdTestTest {

    private static double[][] gaussian(int n, int width, double shift, long seed) {
        Random random = new Random(seed);
        double[][] rows = new double[n][width];
        for (double[] row : rows) {
            for (int d = 0; d < width; d++) {
                row[d] = random.nextGaussian() + shift;
            }
        }
        return rows;
    }

    @Test
    void samplesOfOneDistributionGiveALargePValue() {
        MmdResult result = MmdTest.test(gaussian(100, 8, 0, 1), gaussian(100, 8, 0, 2), 100, 0.05, 7);
        assertTrue(result.pValue() > 0.2, "p = " + result.pValue());
        assertFalse(result.drift());
        assertEquals(100, result.referenceItems());
        assertEquals(100, result.newItems());
    }

    @Test
    void aShiftedSampleGivesASmallPValue() {
        MmdResult result = MmdTest.test(gaussian(100, 8, 0, 1), gaussian(100, 8, 0.5, 2), 100, 0.05, 7);
        assertEquals(0.0, result.pValue(), "no permutation reaches the observed MMD²");
        assertTrue(result.mmd2() > 0);
        assertTrue(result.drift());
    }

    @Test
    void theSameSeedGivesTheSamePValueAndAnotherSeedItsOwn() {
        double[][] x = gaussian(60, 4, 0, 3);
        double[][] y = gaussian(60, 4, 0.1, 4);
        MmdResult first = MmdTest.test(x, y, 100, 0.05, 11);
        MmdResult again = MmdTest.test(x, y, 100, 0.05, 11);
        assertEquals(first, again);
        double[] others = new double[5];
        for (int s = 0; s < others.length; s++) {
            others[s] = MmdTest.test(x, y, 100, 0.05, 100 + s).pValue();
        }
        assertTrue(java.util.Arrays.stream(others).distinct().count() > 1, "the seed drives the permutations");
    }

    @Test
    void theMedianHeuristicMatchesAHandComputedExample() {
        // Squared distances between 0, 1, 3 and 6: 1, 9, 36, 4, 25, 9. Sorted: 1 4 9 9 25 36, lower
        // median 9 (Alibi Detect's index), so sigma = sqrt(9 / 2).
        double[][] pooled = {{0}, {1}, {3}, {6}};
        assertEquals(Math.sqrt(4.5), MmdTest.medianBandwidth(pooled), 1e-12);
        // Three points: 1, 9, 4 -> median 4 -> sigma = sqrt(2). Two dimensions add up.
        assertEquals(Math.sqrt(2), MmdTest.medianBandwidth(new double[][] {{0, 0}, {1, 0}, {3, 0}}), 1e-12);
    }

    @Test
    void theUnbiasedEstimateIsExactOnATinyKernel() {
        // x = {0, 0}, y = {1, 1} in one dimension with kernel values k(0,0) = 1 off the diagonal,
        // k(1,1) = 1, k(0,1) = e^-1 / (2 sigma²) ...: check against the formula directly.
        double[][] kernel = {{1, 1, 0.5, 0.5}, {1, 1, 0.5, 0.5}, {0.5, 0.5, 1, 1}, {0.5, 0.5, 1, 1}};
        // 1/(2*1) * 2 (xx) + 1/(2*1) * 2 (yy) - 2 * mean(xy = 0.5) = 1 + 1 - 1.
        assertEquals(1.0, MmdTest.mmd2(kernel, new int[] {0, 1, 2, 3}, 2), 1e-12);
    }
}
