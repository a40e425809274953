package dev.keel.trainer.interpret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The interpretation's numbers against values computed by hand. */
class InterpretationTest {
    private static final List<String> CLASSES = List.of("cat", "dog", "fox");

    /** Logits whose softmax puts {@code p} on {@code predicted} and splits the rest evenly. */
    private static float[] logits(int predicted, double p) {
        float[] row = new float[3];
        double other = (1 - p) / 2;
        for (int c = 0; c < 3; c++) {
            row[c] = (float) Math.log(c == predicted ? p : other);
        }
        return row;
    }

    /**
     * Seven items: true cat, cat, cat, dog, dog, fox, fox predicted cat (0.9), cat (0.6), dog (0.5), dog
     * (0.8), cat (0.7), fox (0.95), dog (0.4).
     */
    private static Predictions sample() {
        int[] labels = {0, 0, 0, 1, 1, 2, 2};
        float[][] logits = {logits(0, 0.9), logits(0, 0.6), logits(1, 0.5), logits(1, 0.8), logits(0, 0.7),
            logits(2, 0.95), logits(1, 0.4)};
        return new Predictions(CLASSES, labels, logits, List.of("a.png", "b.png", "c.png", "d.png", "e.png", "f.png",
                "g.png"));
    }

    @Test
    void confusionMatrixAndPerClassMetricsMatchTheHandComputedValues() {
        Interpretation it = Interpretation.of(sample(), 3, 0.55);
        assertArrayEquals(new long[] {2, 1, 0}, it.confusion()[0]);
        assertArrayEquals(new long[] {1, 1, 0}, it.confusion()[1]);
        assertArrayEquals(new long[] {0, 1, 1}, it.confusion()[2]);
        assertEquals(4.0 / 7, it.accuracy(), 1e-12);
        // cat: 2 right of 3 predicted cat, 2 of 3 cats found; dog: 1 of 3, 1 of 2; fox: 1 of 1, 1 of 2.
        assertMetrics(it.perClass().get(0), 2.0 / 3, 2.0 / 3, 2.0 / 3, 3);
        assertMetrics(it.perClass().get(1), 1.0 / 3, 1.0 / 2, 0.4, 2);
        assertMetrics(it.perClass().get(2), 1.0, 1.0 / 2, 2.0 / 3, 2);
        assertEquals((2.0 / 3 + 0.4 + 2.0 / 3) / 3, it.macroF1(), 1e-12);
    }

    @Test
    void topLossesAreTheLeastProbableTrueClassesHighestFirst() {
        Interpretation it = Interpretation.of(sample(), 3, 0.55);
        // Loss = -ln p(true class): e (p(dog) 0.15), c (p(cat) 0.25), g (p(fox) 0.3).
        assertEquals(List.of("e.png", "c.png", "g.png"), it.topLosses().stream().map(Interpretation.Item::name).toList());
        assertEquals(-Math.log(0.15), it.topLosses().get(0).loss(), 1e-6);
        assertEquals("dog", it.topLosses().get(0).trueClass());
        assertEquals("cat", it.topLosses().get(0).predicted());
        assertEquals(0.7, it.topLosses().get(0).confidence(), 1e-6);
    }

    @Test
    void theReviewQueueHoldsThePredictionsBelowTheThresholdLeastConfidentFirst() {
        Interpretation it = Interpretation.of(sample(), 3, 0.55);
        assertEquals(List.of("g.png", "c.png"), it.review().stream().map(Interpretation.Item::name).toList());
    }

    @Test
    void aClassNeverPredictedHasPrecisionZeroNotNaN() {
        Predictions allCats = new Predictions(CLASSES, new int[] {0, 1}, new float[][] {logits(0, 0.9), logits(0, 0.9)},
                null);
        Interpretation it = Interpretation.of(allCats, 5, 0.5);
        assertMetrics(it.perClass().get(1), 0, 0, 0, 1);
        assertMetrics(it.perClass().get(2), 0, 0, 0, 0);
        assertEquals("#1", it.topLosses().get(0).name());
    }

    private static void assertMetrics(Interpretation.ClassMetrics m, double precision, double recall, double f1,
            long support) {
        assertEquals(precision, m.precision(), 1e-12, m.name() + " precision");
        assertEquals(recall, m.recall(), 1e-12, m.name() + " recall");
        assertEquals(f1, m.f1(), 1e-12, m.name() + " f1");
        assertEquals(support, m.support(), m.name() + " support");
    }
}
