package dev.keel.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SeededSamplerTest {
    private final ImageDataset dataset = ImageDataset.builder(IdxFiles.images(10, 1, 1, 2)).build();

    @Test
    void eachEpochVisitsEveryItemOnce() {
        SeededSampler sampler = new SeededSampler(3, 11, false);

        for (int epoch = 0; epoch < 3; epoch++) {
            List<List<Long>> batches = epoch(sampler);

            assertEquals(List.of(3, 3, 3, 1), batches.stream().map(List::size).toList());
            assertEquals(LongStream.range(0, 10).boxed().toList(),
                    batches.stream().flatMap(List::stream).sorted().toList());
        }
    }

    @Test
    void successiveEpochsDiffer() {
        SeededSampler sampler = new SeededSampler(10, 11, false);

        assertNotEquals(epoch(sampler), epoch(sampler));
    }

    @Test
    void sameSeedGivesSameSequence() {
        SeededSampler first = new SeededSampler(4, 11, false);
        SeededSampler second = new SeededSampler(4, 11, false);

        for (int epoch = 0; epoch < 3; epoch++) {
            assertEquals(epoch(first), epoch(second));
        }
    }

    @Test
    void differentSeedsGiveDifferentSequences() {
        assertNotEquals(epoch(new SeededSampler(10, 1, false)), epoch(new SeededSampler(10, 2, false)));
    }

    @Test
    void followsEpochOrder() {
        SeededSampler sampler = new SeededSampler(10, 11, false);
        epoch(sampler);

        List<Long> expected = new ArrayList<>();
        for (int position : EpochOrder.of(10, 11, 1)) {
            expected.add((long) position);
        }
        assertEquals(List.of(expected), epoch(sampler));
    }

    @Test
    void dropLastDropsTheShortBatch() {
        List<List<Long>> batches = epoch(new SeededSampler(3, 11, true));

        assertEquals(List.of(3, 3, 3), batches.stream().map(List::size).toList());
        assertEquals(9, batches.stream().flatMap(List::stream).distinct().count());
    }

    @Test
    void dropLastKeepsFullFinalBatch() {
        assertEquals(2, epoch(new SeededSampler(5, 11, true)).size());
    }

    @Test
    void reportsBatchSize() {
        assertEquals(7, new SeededSampler(7, 0, false).getBatchSize());
    }

    @Test
    void rejectsNonPositiveBatchSize() {
        assertThrows(IllegalArgumentException.class, () -> new SeededSampler(0, 0, false));
    }

    private List<List<Long>> epoch(SeededSampler sampler) {
        List<List<Long>> batches = new ArrayList<>();
        Iterator<List<Long>> iterator = sampler.sample(dataset);
        iterator.forEachRemaining(batches::add);
        return batches;
    }
}
