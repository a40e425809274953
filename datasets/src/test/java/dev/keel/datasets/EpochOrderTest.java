package dev.keel.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EpochOrderTest {

    @Test
    void isPermutation() {
        int[] order = EpochOrder.of(500, 9, 3);

        assertArrayEquals(IntStream.range(0, 500).toArray(), Arrays.stream(order).sorted().toArray());
    }

    @Test
    void isShuffled() {
        assertFalse(Arrays.equals(IntStream.range(0, 500).toArray(), EpochOrder.of(500, 9, 0)));
    }

    /**
     * A pure function of the seed and the epoch, the same in every process and version: a run
     * resumed mid-epoch, maybe by a later Keel, must visit the items in the order the run it
     * continues did. Other orders drawn before it change nothing.
     */
    @Test
    void dependsOnlyOnSeedAndEpoch() {
        int[] epoch4 = {5, 4, 6, 9, 8, 1, 2, 0, 3, 7};
        assertArrayEquals(epoch4, EpochOrder.of(10, 9, 4));
        EpochOrder.of(10, 9, 5);
        EpochOrder.of(500, 1, 0);
        assertArrayEquals(epoch4, EpochOrder.of(10, 9, 4));
        assertArrayEquals(new int[] {0, 1, 2, 7, 4, 5, 9, 3, 6, 8}, EpochOrder.of(10, 9, 5));
    }

    @Test
    void differentEpochsGiveDifferentOrders() {
        for (int epoch = 0; epoch < 10; epoch++) {
            assertFalse(Arrays.equals(EpochOrder.of(500, 9, epoch), EpochOrder.of(500, 9, epoch + 1)),
                    "epochs " + epoch + " and " + (epoch + 1));
        }
    }

    @Test
    void differentSeedsGiveDifferentOrders() {
        assertFalse(Arrays.equals(EpochOrder.of(500, 1, 0), EpochOrder.of(500, 2, 0)));
    }

    @Test
    void handlesTinySizes() {
        assertEquals(0, EpochOrder.of(0, 1, 0).length);
        assertArrayEquals(new int[] {0}, EpochOrder.of(1, 1, 0));
    }
}
