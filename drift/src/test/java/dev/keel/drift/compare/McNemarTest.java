package dev.keel.drift.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** McNemar's test against SciPy: {@code binomtest(c, b + c, 0.5).pvalue} and {@code chi2.sf(x, 1)}. */
class McNemarTest {
    private static final double TOLERANCE = 1e-12;

    @Test
    void exactPEqualsScipysTwoSidedBinomialTest() {
        assertEquals(0.03515625, McNemar.of(3, 12).exactP(), TOLERANCE);
        assertEquals(0.05688793364098088, McNemar.of(40, 60).exactP(), TOLERANCE);
        assertEquals(0.10145232764870683, McNemar.of(120, 95).exactP(), TOLERANCE);
        assertEquals(0.015625, McNemar.of(0, 7).exactP(), TOLERANCE);
        assertEquals(1.0, McNemar.of(5, 5).exactP(), TOLERANCE);
        assertEquals(1.0, McNemar.of(1, 0).exactP(), TOLERANCE);
    }

    @Test
    void noDiscordantPairsIsNoEvidence() {
        McNemar test = McNemar.of(0, 0);
        assertEquals(1.0, test.exactP());
        assertEquals(0.0, test.chiSquared());
        assertEquals(1.0, test.chiSquaredP());
    }

    @Test
    void continuityCorrectedChiSquaredEqualsScipy() {
        assertEquals(4.266666666666667, McNemar.of(3, 12).chiSquared(), TOLERANCE);
        assertEquals(0.03886710381241731, McNemar.of(3, 12).chiSquaredP(), 1e-9);
        assertEquals(3.61, McNemar.of(40, 60).chiSquared(), TOLERANCE);
        assertEquals(0.05743311963200335, McNemar.of(40, 60).chiSquaredP(), 1e-9);
    }

    @Test
    void verdictNeedsHigherAccuracyAndPBelowAlpha() {
        McNemar significant = McNemar.of(3, 12);
        McNemar notSignificant = McNemar.of(40, 60);
        assertEquals(Verdict.BETTER, Verdict.of(0.80, 0.89, significant, 0.05));
        assertEquals(Verdict.WORSE, Verdict.of(0.89, 0.80, significant, 0.05));
        assertEquals(Verdict.NO_DIFFERENCE, Verdict.of(0.80, 0.89, significant, 0.01));
        assertEquals(Verdict.NO_DIFFERENCE, Verdict.of(0.70, 0.90, notSignificant, 0.05));
        assertEquals(Verdict.NO_DIFFERENCE, Verdict.of(0.90, 0.90, McNemar.of(0, 0), 0.05));
    }
}
