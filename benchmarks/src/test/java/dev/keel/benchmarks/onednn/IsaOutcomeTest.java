package dev.keel.benchmarks.onednn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.trainer.isa.ConvOutput;
import dev.keel.trainer.isa.Discrepancy;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Measuring discrepancies and naming the problems they are. */
class IsaOutcomeTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void discrepancyIsRelativeToTheReferencesLargestMagnitude() {
        Discrepancy d = Discrepancy.between(new float[] {1, 2, -4.01f}, new double[] {1, 2, -4});

        assertEquals(0.01 / 4, d.relative(), 1e-7);
        assertEquals(0, d.nonFinite());
    }

    @Test
    void nanOrInfinityIsCountedAndInfinitelyFar() {
        Discrepancy d = Discrepancy.between(new float[] {Float.NaN, 1, Float.POSITIVE_INFINITY}, new double[] {1, 1, 1});

        assertEquals(2, d.nonFinite());
        assertEquals(Double.POSITIVE_INFINITY, d.relative());
        assertFalse(d.within(TOLERANCE));
        assertEquals(Double.POSITIVE_INFINITY, Discrepancy.between(new float[] {1}, new float[] {Float.NaN}).relative());
    }

    @Test
    void problemsNameEachFailure() {
        Map<ConvOutput, Discrepancy> vsFloat64 = new EnumMap<>(ConvOutput.class);
        vsFloat64.put(ConvOutput.FORWARD, new Discrepancy(2e-2, 0));
        vsFloat64.put(ConvOutput.GRAD_INPUT, new Discrepancy(1e-6, 0));
        vsFloat64.put(ConvOutput.GRAD_WEIGHT, new Discrepancy(Double.POSITIVE_INFINITY, 12));
        IsaOutcome outcome = new IsaOutcome("ALL", vsFloat64, Map.of(ConvOutput.FORWARD, new Discrepancy(2e-2, 0)),
                new Discrepancy(3e-3, 0), Map.of("forward_training", Set.of("brgconv:avx512_core")));

        assertTrue(outcome.fails(TOLERANCE));
        assertTrue(outcome.nonFinite());
        // With NaN about, the difference from the baseline says nothing more.
        assertEquals(List.of("forward off by 2.0e-02", "NaN/Inf in grad weight (12)", "repeats differ by 3.0e-03"),
                outcome.problems(TOLERANCE, "AVX2"));
    }

    @Test
    void aDifferenceFromTheBaselineAloneIsAProblem() {
        IsaOutcome outcome = new IsaOutcome("ALL", Map.of(ConvOutput.FORWARD, new Discrepancy(5e-5, 0)),
                Map.of(ConvOutput.FORWARD, new Discrepancy(2e-4, 0)), Discrepancy.NONE, Map.of());

        assertFalse(outcome.wrong(TOLERANCE));
        assertEquals(List.of("differs from AVX2 by 2.0e-04"), outcome.problems(TOLERANCE, "AVX2"));
        assertFalse(outcome.ranOnOneDnn());
    }
}
