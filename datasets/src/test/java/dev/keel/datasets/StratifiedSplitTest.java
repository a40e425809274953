package dev.keel.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {
    /** 100 items of class 0, 40 of class 1, 10 of class 2, interleaved. */
    private static final int[] LABELS = IntStream.range(0, 150).map(i -> i % 15 < 10 ? 0 : i % 15 < 14 ? 1 : 2)
            .toArray();

    @Test
    void eachClassKeepsItsShareInEverySplit() {
        StratifiedSplit split = StratifiedSplit.of(LABELS, 3, 0.25, 0.2, 7);

        // test: 20% of each class; valid: 25% of the rest
        assertArrayEquals(new int[] {20, 8, 2}, countsOf(LABELS, split.test()));
        assertArrayEquals(new int[] {20, 8, 2}, countsOf(LABELS, split.valid()));
        assertArrayEquals(new int[] {60, 24, 6}, countsOf(LABELS, split.train()));
    }

    @Test
    void splitsArePartsOfTheWholeInAscendingOrder() {
        StratifiedSplit split = StratifiedSplit.of(LABELS, 3, 0.1, 0.3, 1);

        int[] all = Stream.of(split.train(), split.valid(), split.test()).flatMapToInt(IntStream::of).sorted()
                .toArray();
        assertArrayEquals(IntStream.range(0, LABELS.length).toArray(), all);
        for (int[] part : new int[][] {split.train(), split.valid(), split.test()}) {
            assertArrayEquals(IntStream.of(part).sorted().toArray(), part);
        }
    }

    @Test
    void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
        StratifiedSplit first = StratifiedSplit.of(LABELS, 3, 0.2, 0.2, 42);
        StratifiedSplit again = StratifiedSplit.of(LABELS, 3, 0.2, 0.2, 42);
        StratifiedSplit other = StratifiedSplit.of(LABELS, 3, 0.2, 0.2, 43);

        assertArrayEquals(first.train(), again.train());
        assertArrayEquals(first.valid(), again.valid());
        assertArrayEquals(first.test(), again.test());
        assertFalse(Arrays.equals(first.test(), other.test()));
    }

    @Test
    void everyClassKeepsATrainingItem() {
        int[] labels = {0, 1, 1, 2, 2, 2};

        StratifiedSplit split = StratifiedSplit.of(labels, 3, 0.9, 0.9, 3);

        assertArrayEquals(new int[] {1, 1, 1}, countsOf(labels, split.train()));
        assertArrayEquals(new int[] {0, 1, 2}, countsOf(labels, split.test()));
        assertEquals(0, split.valid().length);
    }

    @Test
    void zeroFractionsKeepEverythingForTraining() {
        StratifiedSplit split = StratifiedSplit.of(LABELS, 3, 0, 0, 5);

        assertEquals(LABELS.length, split.train().length);
        assertEquals(0, split.valid().length + split.test().length);
    }

    @Test
    void aLabelOutsideTheClassesIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> StratifiedSplit.of(new int[] {0, 3}, 2, 0, 0, 0));
    }

    private static int[] countsOf(int[] labels, int[] items) {
        int[] counts = new int[3];
        IntStream.of(items).forEach(i -> counts[labels[i]]++);
        return counts;
    }
}
