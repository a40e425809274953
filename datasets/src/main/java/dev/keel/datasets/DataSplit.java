package dev.keel.datasets;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Item indices of a training and a validation split, drawn by a seeded shuffle: the same count,
 * fraction and seed always give the same split.
 *
 * @param train indices of the training items, ascending
 * @param valid indices of the validation items, ascending
 */
public record DataSplit(int[] train, int[] valid) {

    /**
     * Splits {@code count} items, holding out {@code validFraction} of them (rounded) for validation.
     *
     * @param validFraction in [0, 1)
     */
    public static DataSplit of(int count, double validFraction, long seed) {
        if (!(validFraction >= 0 && validFraction < 1)) {
            throw new IllegalArgumentException("validFraction must be in [0, 1), got " + validFraction);
        }
        int[] order = EpochOrder.permutation(count, new SplittableRandom(seed));
        // Rounding must never take every item: at least one stays for training.
        int validCount = count == 0 ? 0 : Math.min((int) Math.round(count * validFraction), count - 1);
        int[] valid = Arrays.copyOfRange(order, 0, validCount);
        int[] train = Arrays.copyOfRange(order, validCount, count);
        Arrays.sort(valid);
        Arrays.sort(train);
        return new DataSplit(train, valid);
    }
}
