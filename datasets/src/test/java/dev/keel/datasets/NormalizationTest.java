package dev.keel.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keel.serving.image.Normalization;
import org.junit.jupiter.api.Test;

class NormalizationTest {

    @Test
    void fitGivesMeanAndStdOfPixelsScaledToUnitRange() {
        byte[] pixels = {0, (byte) 255, 0, (byte) 255, (byte) 255, (byte) 255, 0, 0};
        LabeledImages images = new LabeledImages("memory", pixels, new byte[2], 1, 2, 2, 1);

        Normalization fitted = ImageStatistics.fit(images, new int[] {0, 1});

        assertArrayEquals(new float[] {0.5f}, fitted.mean());
        assertArrayEquals(new float[] {0.5f}, fitted.std());
    }

    @Test
    void fitIsPerChannelAndUsesOnlyTheGivenItems() {
        byte[] pixels = {
            (byte) 255, (byte) 255, (byte) 255, (byte) 255,
            10, 20, 30, 30,
        };
        LabeledImages images = new LabeledImages("memory", pixels, new byte[2], 2, 1, 2, 1);

        Normalization fitted = ImageStatistics.fit(images, new int[] {1});

        assertArrayEquals(new float[] {(float) (15 / 255.0), (float) (30 / 255.0)}, fitted.mean());
        assertArrayEquals(new float[] {(float) (5 / 255.0), 1e-6f}, fitted.std());
    }

    @Test
    void fitCountsRepeatedItemsEachTime() {
        byte[] pixels = {0, 0, 0, 0, 100, 100, 100, 100};
        LabeledImages images = new LabeledImages("memory", pixels, new byte[2], 1, 2, 2, 1);

        Normalization fitted = ImageStatistics.fit(images, new int[] {0, 1, 1, 1});

        assertArrayEquals(new float[] {(float) (75 / 255.0)}, fitted.mean());
        assertArrayEquals(new float[] {(float) (Math.sqrt(1875) / 255.0)}, fitted.std());
    }

    @Test
    void noneLeavesPixelsInUnitRange() {
        Normalization none = Normalization.none(3);

        assertArrayEquals(new float[] {0f, 0f, 0f}, none.mean());
        assertArrayEquals(new float[] {1f, 1f, 1f}, none.std());
    }

    @Test
    void ofRepeatsMeanAndStdForEveryChannel() {
        Normalization of = Normalization.of(2, 0.25f, 0.125f);

        assertArrayEquals(new float[] {0.25f, 0.25f}, of.mean());
        assertArrayEquals(new float[] {0.125f, 0.125f}, of.std());
    }

    @Test
    void rejectsBadParameters() {
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new float[0], new float[0]));
        assertThrows(IllegalArgumentException.class, () -> new Normalization(new float[2], new float[] {1f}));
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(1, 0.5f, 0f));
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(1, 0.5f, -1f));
        assertThrows(IllegalArgumentException.class, () -> Normalization.of(1, 0.5f, Float.NaN));
    }
}
