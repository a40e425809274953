package dev.keel.datasets.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AugmentationTest {
    private static final int SIZE = 8;

    /** A 2-channel 8x8 ramp: value 10*x + y + 100*c. */
    private static byte[] ramp() {
        byte[] image = new byte[2 * SIZE * SIZE];
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    image[c * SIZE * SIZE + y * SIZE + x] = (byte) (10 * x + y + 100 * c);
                }
            }
        }
        return image;
    }

    private static float[] apply(Augmentation augmentation, long seed, int epoch, int item) {
        float[] out = new float[2 * SIZE * SIZE];
        augmentation.apply(ramp(), 0, 2, SIZE, seed, epoch, item, out, 0);
        return out;
    }

    @Test
    void withNothingOnTheImageComesBackUnchanged() {
        float[] out = apply(new Augmentation(0, 1, 0, 0, 0), 1, 2, 3);
        byte[] source = ramp();
        for (int i = 0; i < out.length; i++) {
            assertEquals(source[i] & 0xff, out[i], 1e-4);
        }
    }

    @Test
    void aCertainFlipMirrorsEveryRow() {
        float[] out = apply(new Augmentation(1, 1, 0, 0, 0), 1, 0, 0);
        byte[] source = ramp();
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                assertEquals(source[y * SIZE + (SIZE - 1 - x)] & 0xff, out[y * SIZE + x], 1e-4);
            }
        }
    }

    /**
     * What an item gets depends on the seed, the epoch and the item alone, not on what was drawn
     * before: a second augmentation that has already worked through other items and epochs gives
     * the very same pixels, as a resumed run's must.
     */
    @Test
    void aPureFunctionOfSeedEpochAndItem() {
        Augmentation all = new Augmentation(0.5, 0.5, 15, 0.2, 0.2);
        float[] first = apply(all, 7, 3, 11);
        Augmentation busy = new Augmentation(0.5, 0.5, 15, 0.2, 0.2);
        for (int item = 0; item < 20; item++) {
            apply(busy, 7, item % 5, item);
        }
        assertArrayEquals(first, apply(busy, 7, 3, 11));
        assertArrayEquals(first, apply(all, 7, 3, 11));
        assertFalse(Arrays.equals(apply(all, 7, 3, 11), apply(all, 7, 4, 11)), "another epoch, another draw");
        assertFalse(Arrays.equals(apply(all, 7, 3, 11), apply(all, 7, 3, 12)), "another item, another draw");
        assertFalse(Arrays.equals(apply(all, 7, 3, 11), apply(all, 8, 3, 11)), "another seed, another draw");
        for (float value : apply(all, 7, 3, 11)) {
            assertEquals(true, value >= 0 && value <= 255, "in range: " + value);
        }
    }
}
