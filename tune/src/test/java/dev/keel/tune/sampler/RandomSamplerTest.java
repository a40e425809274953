package dev.keel.tune.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.tune.space.Distribution;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The random sampler: pure, inside the space, and even where each distribution says. */
class RandomSamplerTest {
    private static final Map<String, Distribution> SPACE = Histories.mixedSpace();

    @Test
    void proposalsArePureFunctionsOfSeedAndNumber() {
        RandomSampler sampler = new RandomSampler(SPACE, 7);
        Map<String, Double> first = sampler.propose(3, List.of());
        assertEquals(first, new RandomSampler(SPACE, 7).propose(3, List.of()));
        assertEquals(first, sampler.propose(3, List.of(Histories.complete(0, first, 1.0))));
        assertNotEquals(first, sampler.propose(4, List.of()));
        assertNotEquals(first, new RandomSampler(SPACE, 8).propose(3, List.of()));
        assertEquals(List.copyOf(SPACE.keySet()), List.copyOf(first.keySet()));
    }

    @Test
    void drawsAreEvenOverEachDistribution() {
        RandomSampler sampler = new RandomSampler(SPACE, 1);
        int draws = 4000;
        int[] decades = new int[5];
        int[] depths = new int[8];
        int[] names = new int[3];
        int narrowWidths = 0;
        for (int n = 0; n < draws; n++) {
            Map<String, Double> values = sampler.propose(n, List.of());
            SPACE.forEach((key, distribution) -> assertTrue(distribution.contains(values.get(key)),
                    key + " = " + values.get(key)));
            decades[(int) Math.min(4, Math.floor(-Math.log10(values.get("optimizer.lr"))))]++;
            depths[(int) (values.get("model.depth") - 1)]++;
            names[values.get("optimizer.name").intValue()]++;
            if (values.get("model.width") < 32) {
                narrowWidths++;
            }
        }
        // Log-uniform: each decade of [1e-5, 1] a fifth of the draws.
        for (int count : decades) {
            assertEquals(draws / 5.0, count, 0.15 * draws / 5);
        }
        for (int count : depths) {
            assertEquals(draws / 8.0, count, 0.2 * draws / 8);
        }
        for (int count : names) {
            assertEquals(draws / 3.0, count, 0.1 * draws / 3);
        }
        // A log int: [16, 32) is a third of [16, 512]'s logarithm (widened by half a step).
        double narrowShare = (Math.log(31.5) - Math.log(15.5)) / (Math.log(512.5) - Math.log(15.5));
        assertEquals(narrowShare * draws, narrowWidths, 0.1 * narrowShare * draws);
    }
}
