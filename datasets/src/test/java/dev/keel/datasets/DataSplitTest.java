package dev.keel.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataSplitTest {

    @Test
    void sameSeedGivesSameSplit() {
        DataSplit first = DataSplit.of(1000, 0.1, 42);
        DataSplit second = DataSplit.of(1000, 0.1, 42);

        assertArrayEquals(first.train(), second.train());
        assertArrayEquals(first.valid(), second.valid());
    }

    @Test
    void differentSeedsGiveDifferentSplits() {
        assertFalse(Arrays.equals(DataSplit.of(1000, 0.1, 1).valid(), DataSplit.of(1000, 0.1, 2).valid()));
    }

    @Test
    void splitsArePartsOfTheWholeInAscendingOrder() {
        DataSplit split = DataSplit.of(1000, 0.2, 7);

        assertEquals(800, split.train().length);
        assertEquals(200, split.valid().length);
        int[] union = IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.valid())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 1000).toArray(), union);
        assertArrayEquals(Arrays.stream(split.train()).sorted().toArray(), split.train());
        assertArrayEquals(Arrays.stream(split.valid()).sorted().toArray(), split.valid());
    }

    @Test
    void validationSizeIsRounded() {
        assertEquals(3, DataSplit.of(10, 0.25, 0).valid().length);
        assertEquals(7, DataSplit.of(10, 0.25, 0).train().length);
    }

    @Test
    void zeroFractionKeepsEverythingForTraining() {
        DataSplit split = DataSplit.of(5, 0, 3);

        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, split.train());
        assertEquals(0, split.valid().length);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.0, 1.5, Double.NaN})
    void rejectsFractionOutsideUnitInterval(double fraction) {
        assertThrows(IllegalArgumentException.class, () -> DataSplit.of(100, fraction, 0));
    }
}
