package dev.keel.drift.prediction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class CbpeTest {

    @Test
    void isotonicRegressionPoolsAdjacentViolators() {
        // Right/wrong by rising confidence: 0.1 right, 0.2 wrong, 0.3 wrong, 0.4 right.
        // 1, 0 violates order: pooled to 0.5 over {0.1, 0.2}; then 0 at 0.3 pulls it to 1/3 over
        // {0.1, 0.2, 0.3} (mean confidence 0.2); 1 at 0.4 stays.
        IsotonicCalibration calibration = IsotonicCalibration.fit(new double[] {0.3, 0.1, 0.4, 0.2},
                new boolean[] {false, true, true, false});
        assertArrayEquals(new double[] {0.2, 0.4}, calibration.confidences(), 1e-12);
        assertArrayEquals(new double[] {1.0 / 3, 1.0}, calibration.accuracies(), 1e-12);
        assertEquals(1.0 / 3, calibration.apply(0.05), 1e-12, "flat below the first block");
        assertEquals((1.0 / 3 + 1.0) / 2, calibration.apply(0.3), 1e-12, "linear between blocks");
        assertEquals(1.0, calibration.apply(0.99), 1e-12, "flat above the last");
    }

    /** Confidences uniform in [from, to) with P(right | c) = {@code truth(c)}. */
    private static double[] confidences(int n, double from, double to, Random random) {
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = from + (to - from) * random.nextDouble();
        }
        return c;
    }

    private static boolean[] outcomes(double[] confidence, DoubleUnaryOperator truth, Random random) {
        boolean[] right = new boolean[confidence.length];
        for (int i = 0; i < right.length; i++) {
            right[i] = random.nextDouble() < truth.applyAsDouble(confidence[i]);
        }
        return right;
    }

    @Test
    void aCalibratedModelsAccuracyIsItsMeanConfidence() {
        Random random = new Random(5);
        double[] reference = confidences(5000, 0.3, 1.0, random);
        boolean[] right = outcomes(reference, c -> c, random);
        // New data the model is less sure of: confidences in [0.4, 0.7), true accuracy 0.55.
        double[] fresh = confidences(2000, 0.4, 0.7, random);
        AccuracyEstimate estimate = Cbpe.estimate(reference, right, fresh, 200, 0.95, 1);
        assertEquals(0.55, estimate.estimatedAccuracy(), 0.02);
        assertTrue(estimate.lower() < 0.55 && 0.55 < estimate.upper(),
                "interval [" + estimate.lower() + ", " + estimate.upper() + "]");
        assertTrue(estimate.upper() - estimate.lower() < 0.06, "a narrow interval for thousands of items");
    }

    @Test
    void anOverconfidentModelIsCalibratedDown() {
        Random random = new Random(6);
        double[] reference = confidences(5000, 0.5, 1.0, random);
        // Right with probability c²: at confidence 0.8 only 64% right.
        boolean[] right = outcomes(reference, c -> c * c, random);
        double[] fresh = confidences(2000, 0.5, 1.0, random);
        double truth = (1.0 - 0.125) / 3 / 0.5; // mean of c² for c uniform in [0.5, 1): 7/12
        AccuracyEstimate estimate = Cbpe.estimate(reference, right, fresh, 100, 0.95, 2);
        assertEquals(truth, estimate.estimatedAccuracy(), 0.02);
        assertTrue(estimate.estimatedAccuracy() < 0.7, "below the mean confidence 0.75");
        AccuracyEstimate again = Cbpe.estimate(reference, right, fresh, 100, 0.95, 2);
        assertEquals(estimate.lower(), again.lower(), "seeded: reproducible");
        assertEquals(estimate.upper(), again.upper(), "seeded: reproducible");
    }
}
