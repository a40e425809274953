package dev.keel.trainer.lrfind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LrSuggestionsTest {

    @Test
    void valleyIsHalfwayDownTheLongestDecreasingRun() {
        // lds = [1,1,1,1,2,3,4,5,6,5,1]: the valley ends at index 8 (lds 6) and starts at 8 - 6 = 2;
        // sections = (8 - 2) / 3 = 2, so the pick is 2 + 2 + floor(1) = 5.
        double[] losses = {3, 3, 3, 3, 2.5, 2, 1.5, 1, 0.5, 1, 3};
        assertEquals(5, LrSuggestions.valleyIndex(losses));
        assertEquals(0.5, LrSuggestions.valley(lrs(11), losses), 0);
    }

    @Test
    void valleyCountsADecreasingSubsequenceNotOnlyAContiguousRun() {
        // A bump at index 3 breaks the run, but 4 > 3 > 2 > 1 > 0 still decreases: lds[7] = 5 over
        // indices 0, 1, 2, 5, 7 (a bump and a tie in between), so the valley is 7 - 5 = 2 .. 7 and
        // the pick is 2 + floor(5/3) + floor(5/6) = 3.
        double[] losses = {4, 3, 2, 3.5, 2, 1, 1, 0, 2};
        assertEquals(3, LrSuggestions.valleyIndex(losses));
    }

    @Test
    void valleyOfACurveThatOnlyRisesIsTheFirstPointAndOfOnePointIsIt() {
        assertEquals(0, LrSuggestions.valleyIndex(new double[] {1, 2, 3, 4}));
        assertEquals(0, LrSuggestions.valleyIndex(new double[] {7}));
        // A fall from the first point: fastai's start is -1 and Python would index from the end.
        assertEquals(0, LrSuggestions.valleyIndex(new double[] {2, 1}));
    }

    @Test
    void steepIsTheLeftEndOfTheSteepestFallAgainstLogRate() {
        double[] lrs = {1e-3, 1e-2, 1e-1, 1};
        double[] losses = {2.0, 1.9, 1.0, 0.9};
        assertEquals(1, LrSuggestions.steepIndex(lrs, losses));
        assertEquals(1e-2, LrSuggestions.steep(lrs, losses), 0);
        // Slopes are per unit of log rate: a fall over unequal spacing is scaled by it.
        double[] uneven = {1e-3, 1e-2, 2e-2};
        assertEquals(1, LrSuggestions.steepIndex(uneven, new double[] {2.0, 1.5, 1.2}),
                "-0.3 over ln 2 is steeper than -0.5 over ln 10");
    }

    @Test
    void minimumDiv10IsATenthOfTheRateAtTheFirstLowestLoss() {
        double[] lrs = {1e-4, 1e-3, 1e-2, 1e-1, 1};
        double[] losses = {3, 2, 1, 1, 4};
        assertEquals(2, LrSuggestions.minimumIndex(losses));
        assertEquals(1e-3, LrSuggestions.minimumDiv10(lrs, losses), 1e-18);
    }

    @Test
    void ofLooksOnlyAtFastaisWindowFromATenthOfTheStepsToFiveBeforeTheEnd() {
        int n = 100;
        double[] lrs = exponential(1e-7, 10, n);
        double[] losses = new double[n];
        for (int i = 0; i < n; i++) {
            losses[i] = 10 - 0.01 * i;
        }
        // The lowest losses lie in the last five steps and a steeper fall in the first ten: both are
        // outside the window, so minimum and steep come from its edges.
        losses[2] = 50;
        LrSuggestions s = LrSuggestions.of(lrs, losses, n);
        assertEquals(94, s.minimumIndex());
        assertEquals(lrs[94] / 10, s.minimumDiv10(), 0);
        assertTrue(s.steepIndex() >= 10 && s.steepIndex() < 95, "steep at " + s.steepIndex());
        // The whole window is one decreasing run: valley 10 - 1 .. 94, pick 9 + 28 + 14.
        assertEquals(51, s.valleyIndex());
        assertEquals(lrs[51], s.valley(), 0);
    }

    @Test
    void ofStopsAtTheFirstLossThatIsNotFinite() {
        int n = 100;
        double[] lrs = exponential(1e-7, 10, n);
        double[] losses = new double[n];
        for (int i = 0; i < n; i++) {
            losses[i] = i < 60 ? 5 - 0.05 * i : Double.NaN;
        }
        LrSuggestions s = LrSuggestions.of(lrs, losses, n);
        assertEquals(59, s.minimumIndex(), "the window ends before the NaN at 60");
    }

    @Test
    void ofAShortSweepFallsBackToEveryFinitePoint() {
        double[] lrs = exponential(1e-7, 10, 100);
        double[] losses = {2.3, 2.2, 2.0, 1.7, 1.6, 9.0};
        LrSuggestions s = LrSuggestions.of(Arrays.copyOf(lrs, 6), losses, 100);
        assertTrue(s.any());
        assertEquals(4, s.minimumIndex());
    }

    @Test
    void ofTooFewFiniteLossesSuggestsNothing() {
        LrSuggestions s = LrSuggestions.of(new double[] {1e-7, 1e-6}, new double[] {2.3, Double.NaN}, 100);
        assertSame(LrSuggestions.NONE, s);
        assertFalse(s.any());
    }

    @Test
    void onATypicalCurveTheSuggestionsLieWhereTheLossFalls() {
        // Flat at 2.3 up to 1e-5, falling to 0.4 around 1e-2, then blowing up: a curve shaped like
        // what training a small net gives.
        int n = 100;
        double[] lrs = exponential(1e-7, 10, n);
        double[] losses = new double[n];
        for (int i = 0; i < n; i++) {
            double x = Math.log10(lrs[i]);
            losses[i] = 0.4 + 1.9 / (1 + Math.exp(2.5 * (x + 3.5))) + 0.02 * Math.exp(3 * (x + 1.5));
        }
        LrSuggestions s = LrSuggestions.of(lrs, losses, n);
        int minimum = LrSuggestions.minimumIndex(losses);
        assertEquals(minimum, s.minimumIndex());
        assertTrue(s.valley() > 1e-5 && s.valley() < lrs[minimum], "valley " + s.valley());
        assertEquals(-3.5, Math.log10(s.steep()), 0.1, "steepest where the logistic falls fastest");
    }

    private static double[] lrs(int n) {
        double[] lrs = new double[n];
        for (int i = 0; i < n; i++) {
            lrs[i] = i / 10.0;
        }
        return lrs;
    }

    private static double[] exponential(double start, double end, int n) {
        LrFinder.Settings settings = new LrFinder.Settings(start, end, n);
        double[] lrs = new double[n];
        for (int i = 0; i < n; i++) {
            lrs[i] = settings.learningRateAt(i);
        }
        return lrs;
    }
}
