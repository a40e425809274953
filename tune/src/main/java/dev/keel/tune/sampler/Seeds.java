package dev.keel.tune.sampler;

import java.util.SplittableRandom;

/**
 * The random streams of the samplers. Each draw comes from a stream derived afresh from the study's
 * seed, what the stream is for, the trial's number and the config key, so that a proposal is a pure
 * function of its inputs: no sampler keeps random state from one call to the next, and adding a key
 * to the search space leaves the draws of the other keys as they were.
 */
final class Seeds {
    /** The golden-ratio increment of SplitMix64: consecutive inputs land far apart before mixing. */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** SplitMix64's finaliser: every input bit affects every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The stream of {@code purpose} (a constant of the sampler) under {@code seed}. */
    static SplittableRandom stream(long seed, long purpose) {
        return new SplittableRandom(mix(mix(seed) + GOLDEN * purpose));
    }

    /** The stream of {@code purpose} for trial {@code number}'s value of {@code key}. */
    static SplittableRandom stream(long seed, long purpose, int number, String key) {
        long state = mix(mix(seed) + GOLDEN * purpose);
        state = mix(state + GOLDEN * (number + 1L));
        // String.hashCode is specified by the language, so the stream is the same on every JVM.
        state = mix(state + GOLDEN * (key.hashCode() + 1L));
        return new SplittableRandom(state);
    }
}
