package dev.keel.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The statistics of the paired comparison: the median and its distribution-free interval. */
class StepComparisonTest {
    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, StepComparison.median(new double[] {3, 1, 2}), 0);
        assertEquals(2.5, StepComparison.median(new double[] {4, 1, 3, 2}), 0);
    }

    @Test
    void intervalForTwentyRoundsIsTheSixthToFifteenthValue() {
        // The textbook interval for n = 20: order statistics 6 and 15, covering 95.9%.
        double[] values = IntStream.rangeClosed(1, 20).mapToDouble(i -> 21 - i).toArray();

        assertArrayEquals(new double[] {6, 15}, StepComparison.medianInterval(values), 0);
    }

    @Test
    void intervalForTenRoundsIsTheSecondToNinthValue() {
        // n = 10: P(B <= 1) = 11/1024 <= 2.5% < P(B <= 2) = 56/1024.
        double[] values = IntStream.rangeClosed(1, 10).mapToDouble(i -> i * 0.1).toArray();

        assertArrayEquals(new double[] {0.2, 0.9}, StepComparison.medianInterval(values), 1e-12);
    }

    @Test
    void tooFewRoundsGiveTheFullRange() {
        assertArrayEquals(new double[] {1, 5}, StepComparison.medianInterval(new double[] {5, 4, 3, 2, 1}), 0);
        assertArrayEquals(new double[] {1, 6}, StepComparison.medianInterval(new double[] {6, 5, 4, 3, 2, 1}), 0);
    }
}
