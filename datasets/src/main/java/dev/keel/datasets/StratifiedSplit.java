package dev.keel.datasets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Holds out a share of every class, drawn by a seeded shuffle within each class: the held-out part
 * has the classes in the proportions of the whole, and the same labels, share and seed always give
 * the same split. Every class with at least two items keeps one or more on each side.
 *
 * @param kept indices of the items that stay, ascending
 * @param heldOut indices of the items held out, ascending
 */
public record StratifiedSplit(int[] kept, int[] heldOut) {

    /**
     * Splits the items whose class indices are {@code labels}, holding out {@code fraction} of each
     * class (rounded).
     *
     * @param fraction in [0, 1)
     */
    public static StratifiedSplit of(int[] labels, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("fraction must be in [0, 1), got " + fraction);
        }
        int classes = Arrays.stream(labels).max().orElse(-1) + 1;
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] kept = new int[labels.length];
        int[] heldOut = new int[labels.length];
        int keptCount = 0;
        int heldCount = 0;
        for (List<Integer> members : byClass) {
            int[] order = EpochOrder.permutation(members.size(), random.split());
            int hold = members.size() < 2 ? 0
                    : Math.max(fraction > 0 ? 1 : 0, Math.min((int) Math.round(members.size() * fraction),
                            members.size() - 1));
            for (int i = 0; i < order.length; i++) {
                int item = members.get(order[i]);
                if (i < hold) {
                    heldOut[heldCount++] = item;
                } else {
                    kept[keptCount++] = item;
                }
            }
        }
        int[] keep = Arrays.copyOf(kept, keptCount);
        int[] held = Arrays.copyOf(heldOut, heldCount);
        Arrays.sort(keep);
        Arrays.sort(held);
        return new StratifiedSplit(keep, held);
    }
}
