package dev.keel.datasets;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Item indices of training, validation and test splits that keep each class's share: within every
 * class, {@code testFraction} of its items (rounded) go to test, then {@code validFraction} of the
 * rest to validation. A pure function of the labels, the fractions and the seed.
 *
 * @param train indices of the training items, ascending
 * @param valid indices of the validation items, ascending
 * @param test indices of the test items, ascending
 */
public record StratifiedSplit(int[] train, int[] valid, int[] test) {

    /**
     * Splits the items whose class indices are {@code labels}. A class keeps at least one training
     * item: a class of one item goes to training whole.
     *
     * @param numClasses labels are in {@code [0, numClasses)}
     * @param validFraction in [0, 1)
     * @param testFraction in [0, 1)
     */
    public static StratifiedSplit of(int[] labels, int numClasses, double validFraction, double testFraction,
            long seed) {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("label " + label + " is outside [0, " + numClasses + ")");
            }
            counts[label]++;
        }
        int[][] members = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            members[c] = new int[counts[c]];
        }
        int[] filled = new int[numClasses];
        for (int i = 0; i < labels.length; i++) {
            members[labels[i]][filled[labels[i]]++] = i;
        }
        // One seed per class and cut, drawn in class order: the same inputs give the same split.
        SplittableRandom seeds = new SplittableRandom(seed);
        IntStream.Builder train = IntStream.builder();
        IntStream.Builder valid = IntStream.builder();
        IntStream.Builder test = IntStream.builder();
        for (int[] items : members) {
            DataSplit outer = DataSplit.of(items.length, testFraction, seeds.nextLong());
            DataSplit inner = DataSplit.of(outer.train().length, validFraction, seeds.nextLong());
            Arrays.stream(outer.valid()).forEach(i -> test.add(items[i]));
            Arrays.stream(inner.valid()).forEach(i -> valid.add(items[outer.train()[i]]));
            Arrays.stream(inner.train()).forEach(i -> train.add(items[outer.train()[i]]));
        }
        return new StratifiedSplit(train.build().sorted().toArray(), valid.build().sorted().toArray(),
                test.build().sorted().toArray());
    }
}
