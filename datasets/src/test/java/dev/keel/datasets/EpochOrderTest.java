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

    @Test
    void dependsOnlyOnSeedAndEpoch() {
        assertArrayEquals(EpochOrder.of(500, 9, 4), EpochOrder.of(500, 9, 4));
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
