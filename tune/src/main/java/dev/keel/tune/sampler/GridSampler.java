package dev.keel.tune.sampler;

import dev.keel.tune.space.Choice;
import dev.keel.tune.space.Distribution;
import dev.keel.tune.space.IntRange;
import dev.keel.tune.space.LogUniform;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Every combination of the values of choice and whole-number keys, each tried once, as Optuna's
 * {@code GridSampler}: the cartesian product (keys in name order, so that reordering the config
 * does not change the grid) in an order shuffled by the seed, so that a study stopped early has
 * still spread over the grid. Trial n gets the grid's n-th point unless a trial in the history
 * already holds it, in which case it gets the first point no trial holds: trials proposed side by
 * side, and a resumed study, never collide. A point counts as held by a trial of any state,
 * failed ones included, as in Optuna. Once every point is held the grid refuses to propose
 * ({@link #isExhausted}); a study's budget defaults to {@link #gridSize()}.
 */
public final class GridSampler implements Sampler {
    /** More points than this is no grid to search one by one: the constructor refuses. */
    static final long MAX_POINTS = 1_000_000;
    private static final long PURPOSE = 0x47524944L;

    /** The keys in name order, each with its values in internal form. */
    private final String[] keys;
    private final double[][] values;
    /** The key order of the proposals, the space's. */
    private final List<String> spaceOrder;
    /** The grid's points in visiting order: each an index into the cartesian product. */
    private final int[] order;
    /** The inverse of {@link #order}: a product index's position in the visiting order. */
    private final int[] position;

    /**
     * @param space the search space: every key a {@link Choice} or an {@link IntRange}
     * @param seed the study's seed, which fixes the order the grid is visited in
     * @throws IllegalArgumentException for a key of another kind, or a grid of over a million points
     */
    public GridSampler(Map<String, Distribution> space, long seed) {
        if (space.isEmpty()) {
            throw new IllegalArgumentException("grid needs at least one key to search");
        }
        TreeMap<String, Distribution> byName = new TreeMap<>(space);
        keys = byName.keySet().toArray(String[]::new);
        values = new double[keys.length][];
        long size = 1;
        for (int i = 0; i < keys.length; i++) {
            values[i] = gridValues(keys[i], byName.get(keys[i]));
            size *= values[i].length;
            if (size > MAX_POINTS) {
                throw new IllegalArgumentException("grid has over " + MAX_POINTS
                        + " points; search so large a space with tpe or random");
            }
        }
        spaceOrder = List.copyOf(space.keySet());
        order = new int[(int) size];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = Seeds.stream(seed, PURPOSE);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        position = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            position[order[i]] = i;
        }
    }

    private static double[] gridValues(String key, Distribution distribution) {
        if (distribution instanceof Choice choice) {
            double[] indices = new double[choice.values().size()];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = i;
            }
            return indices;
        }
        if (distribution instanceof IntRange range) {
            long count = range.high() - range.low() + 1;
            if (count > MAX_POINTS) {
                throw new IllegalArgumentException("grid has over " + MAX_POINTS + " points: " + key
                        + " alone has " + count + " values");
            }
            double[] numbers = new double[(int) count];
            for (int i = 0; i < numbers.length; i++) {
                numbers[i] = range.low() + i;
            }
            return numbers;
        }
        throw new IllegalArgumentException(key + " is " + describe(distribution)
                + ", but grid needs choice or int values for every key");
    }

    private static String describe(Distribution distribution) {
        return distribution instanceof LogUniform ? "a log-uniform range of reals" : "a uniform range of reals";
    }

    /** How many points the grid has: the product of the keys' numbers of values. */
    public int gridSize() {
        return order.length;
    }

    /** Whether every point is held by a trial of {@code history}, so that no trial can be proposed. */
    public boolean isExhausted(List<TrialHistory> history) {
        return firstFree(held(-1, history)) < 0;
    }

    /**
     * The point of trial {@code number}.
     *
     * @throws IllegalStateException when every point is held by a trial of the history
     */
    @Override
    public Map<String, Double> propose(int number, List<TrialHistory> history) {
        boolean[] held = held(number, history);
        int chosen = number >= 0 && number < order.length && !held[number] ? number : firstFree(held);
        if (chosen < 0) {
            throw new IllegalStateException("the grid's " + order.length + " points have all been tried");
        }
        int index = order[chosen];
        Map<String, Double> byName = new TreeMap<>();
        // The last key varies fastest, as in a cartesian product.
        for (int i = keys.length - 1; i >= 0; i--) {
            byName.put(keys[i], values[i][index % values[i].length]);
            index /= values[i].length;
        }
        Map<String, Double> proposal = new LinkedHashMap<>();
        spaceOrder.forEach(key -> proposal.put(key, byName.get(key)));
        return proposal;
    }

    /** Which positions of the visiting order the history's trials (other than {@code number}) hold. */
    private boolean[] held(int number, List<TrialHistory> history) {
        boolean[] held = new boolean[order.length];
        for (TrialHistory trial : history) {
            if (trial.number() == number) {
                continue;
            }
            int index = productIndex(trial.params());
            if (index >= 0) {
                held[position[index]] = true;
            }
        }
        return held;
    }

    private static int firstFree(boolean[] held) {
        for (int i = 0; i < held.length; i++) {
            if (!held[i]) {
                return i;
            }
        }
        return -1;
    }

    /** The product index of a trial's values, or -1 when they are not a point of this grid. */
    private int productIndex(Map<String, Double> params) {
        int index = 0;
        for (int i = 0; i < keys.length; i++) {
            Double value = params.get(keys[i]);
            if (value == null) {
                return -1;
            }
            int at = indexOf(values[i], value);
            if (at < 0) {
                return -1;
            }
            index = index * values[i].length + at;
        }
        return index;
    }

    private static int indexOf(double[] grid, double value) {
        // Both kinds of grid are consecutive whole numbers: the offset from the first is the index.
        double offset = value - grid[0];
        if (offset != Math.rint(offset) || offset < 0 || offset >= grid.length) {
            return -1;
        }
        return (int) offset;
    }
}
