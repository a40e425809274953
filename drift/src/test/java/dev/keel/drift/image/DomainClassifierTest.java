package dev.keel.drift.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DomainClassifierTest {

    private static double[][] gaussian(int n, int width, double shift, long seed) {
        Random random = new Random(seed);
        double[][] rows = new double[n][width];
        for (double[] row : rows) {
            for (int d = 0; d < width; d++) {
                row[d] = random.nextGaussian() + (d == 0 ? shift : 0);
            }
        }
        return rows;
    }

    @Test
    void theAucOfHandRankedScores() {
        // Positives score 0.9 and 0.4, negatives 0.5 and 0.1: 3 of the 4 pairs ranked right.
        assertEquals(0.75, DomainClassifier.auc(new double[] {0.9, 0.4, 0.5, 0.1}, new int[] {1, 1, 0, 0}), 1e-12);
        // A tie counts half.
        assertEquals(0.5, DomainClassifier.auc(new double[] {0.3, 0.3}, new int[] {1, 0}), 1e-12);
    }

    @Test
    void separableSamplesGiveAnAucNearOne() {
        DomainClassifierResult result = DomainClassifier.test(gaussian(200, 5, 0, 1), gaussian(200, 5, 3, 2), 5,
                0.55, 0);
        assertTrue(result.auc() > 0.95, "AUC " + result.auc());
        assertTrue(result.drift());
    }

    @Test
    void samplesOfOneDistributionGiveAnAucAboutAHalf() {
        DomainClassifierResult result = DomainClassifier.test(gaussian(200, 5, 0, 1), gaussian(200, 5, 0, 2), 5,
                0.55, 0);
        // Held-out scores pooled over folds read a little below 0.5 when there is nothing to learn
        // (each fold's model leans against the side its held-out part has more of).
        assertTrue(result.auc() > 0.35 && result.auc() < 0.55, "AUC " + result.auc());
        assertFalse(result.drift());
        assertEquals(5, result.folds());
    }
}
