package dev.keel.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {
    @Test
    void holdsOutTheSameShareOfEveryClass() {
        // 100 of class 0, 20 of class 1, 2 of class 2, interleaved.
        int[] labels = IntStream.range(0, 122).map(i -> i < 100 ? 0 : i < 120 ? 1 : 2).toArray();
        StratifiedSplit split = StratifiedSplit.of(labels, 0.1, 42);
        assertEquals(10, Arrays.stream(split.heldOut()).filter(i -> labels[i] == 0).count());
        assertEquals(2, Arrays.stream(split.heldOut()).filter(i -> labels[i] == 1).count());
        assertEquals(1, Arrays.stream(split.heldOut()).filter(i -> labels[i] == 2).count(), "at least one of each");
        assertEquals(1, Arrays.stream(split.kept()).filter(i -> labels[i] == 2).count(), "and one stays");
        assertEquals(122, split.kept().length + split.heldOut().length);
        assertEquals(122, IntStream.concat(Arrays.stream(split.kept()), Arrays.stream(split.heldOut())).distinct().count());
    }

    @Test
    void theSameSeedGivesTheSameSplitAndAnotherADifferentOne() {
        int[] labels = IntStream.range(0, 50).map(i -> i % 3).toArray();
        assertArrayEquals(StratifiedSplit.of(labels, 0.2, 1).heldOut(), StratifiedSplit.of(labels, 0.2, 1).heldOut());
        assertEquals(false, Arrays.equals(StratifiedSplit.of(labels, 0.2, 1).heldOut(),
                StratifiedSplit.of(labels, 0.2, 2).heldOut()));
        assertEquals(0, StratifiedSplit.of(labels, 0, 1).heldOut().length);
    }
}
