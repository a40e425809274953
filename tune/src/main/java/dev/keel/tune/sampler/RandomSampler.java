package dev.keel.tune.sampler;

import dev.keel.tune.space.Choice;
import dev.keel.tune.space.Distribution;
import dev.keel.tune.space.IntRange;
import dev.keel.tune.space.LogUniform;
import dev.keel.tune.space.Uniform;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Independent uniform draws, ignoring the history: a number evenly in its range (in its logarithm
 * on a log scale), a whole number evenly over its values (on a log scale, evenly in the logarithm
 * of the range widened by half a step, then rounded), a choice's index evenly. The baseline TPE must
 * beat, and TPE's first trials.
 */
public final class RandomSampler implements Sampler {
    /** Separates this sampler's streams from those of other samplers under the same seed. */
    private static final long PURPOSE = 0x52414E44L;

    private final Map<String, Distribution> space;
    private final long seed;

    /**
     * @param space the search space, config key path to distribution; proposals follow its order
     * @param seed the study's seed
     */
    public RandomSampler(Map<String, Distribution> space, long seed) {
        this.space = new LinkedHashMap<>(space);
        this.seed = seed;
    }

    @Override
    public Map<String, Double> propose(int number, List<TrialHistory> history) {
        Map<String, Double> values = new LinkedHashMap<>();
        space.forEach((key, distribution) ->
                values.put(key, draw(distribution, Seeds.stream(seed, PURPOSE, number, key))));
        return values;
    }

    /** One uniform draw of {@code distribution}, in internal form. */
    static double draw(Distribution distribution, SplittableRandom random) {
        if (distribution instanceof Uniform u) {
            return Math.min(u.high(), u.low() + random.nextDouble() * (u.high() - u.low()));
        }
        if (distribution instanceof LogUniform u) {
            double logLow = Math.log(u.low());
            double value = Math.exp(logLow + random.nextDouble() * (Math.log(u.high()) - logLow));
            return Math.min(u.high(), Math.max(u.low(), value));
        }
        if (distribution instanceof IntRange r) {
            if (!r.log()) {
                // nextLong's bound is exclusive: high - low + 1 values, each equally likely.
                return r.low() + random.nextLong(r.high() - r.low() + 1);
            }
            double logLow = Math.log(r.low() - 0.5);
            double logHigh = Math.log(r.high() + 0.5);
            double value = Math.rint(Math.exp(logLow + random.nextDouble() * (logHigh - logLow)));
            return Math.min(r.high(), Math.max(r.low(), value));
        }
        Choice choice = (Choice) distribution;
        return random.nextInt(choice.values().size());
    }
}
