package dev.keel.datasets;

import java.util.SplittableRandom;

/**
 * The order in which one epoch visits a dataset: a pure function of the seed and the epoch, so a
 * run that resumes in the middle of an epoch sees the same order as the run it continues.
 */
public final class EpochOrder {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private EpochOrder() {}

    /** The positions {@code 0..size-1} in the order epoch {@code epoch} visits them. */
    public static int[] of(int size, long seed, int epoch) {
        return permutation(size, new SplittableRandom(seed + GOLDEN_GAMMA * (epoch + 1L)));
    }

    /** A Fisher-Yates shuffle of {@code 0..size-1}. */
    static int[] permutation(int size, SplittableRandom random) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
