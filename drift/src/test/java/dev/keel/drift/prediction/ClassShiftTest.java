package dev.keel.drift.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassShiftTest {
    private static final List<String> CLASSES = List.of("a", "b", "c");

    @Test
    void theSameSharesAreNoShift() {
        ClassDistributionShift shift = PredictionDrift.classShift(CLASSES, new int[] {0, 1, 2, 0}, new int[] {2, 0,
                1, 0}, 0.05);
        assertEquals(0, shift.jensenShannonDistance(), 1e-12);
        assertEquals(0, shift.chiSquared(), 1e-12);
        assertEquals(1, shift.pValue(), 1e-12);
        assertFalse(shift.drift());
    }

    @Test
    void sharesWithNoClassInCommonAreAtDistanceOne() {
        int[] reference = new int[50];
        int[] fresh = new int[50];
        java.util.Arrays.fill(fresh, 1);
        ClassDistributionShift shift = PredictionDrift.classShift(CLASSES, reference, fresh, 0.05);
        assertEquals(1, shift.jensenShannonDistance(), 1e-12);
        // A 2 x 2 table of 50/0 against 0/50: chi-squared 100 on 1 degree of freedom (class c left out).
        assertEquals(100, shift.chiSquared(), 1e-9);
        assertEquals(1, shift.degreesOfFreedom());
        assertTrue(shift.drift());
        assertEquals(List.of(new ClassShare("a", 1, 0), new ClassShare("b", 0, 1), new ClassShare("c", 0, 0)),
                shift.shares());
    }
}
