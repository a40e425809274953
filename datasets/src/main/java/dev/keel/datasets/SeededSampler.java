package dev.keel.datasets;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A DJL {@link Sampler} that shuffles each epoch in the order {@link EpochOrder} gives for its
 * seed: the n-th call to {@link #sample} yields epoch n's batches, the same on every machine.
 */
public final class SeededSampler implements Sampler {
    private final int batchSize;
    private final long seed;
    private final boolean dropLast;
    private int epoch;

    public SeededSampler(int batchSize, long seed, boolean dropLast) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.dropLast = dropLast;
    }

    @Override
    public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
        int[] order = EpochOrder.of(Math.toIntExact(dataset.size()), seed, epoch++);
        List<List<Long>> batches = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(from + batchSize, order.length);
            if (dropLast && to - from < batchSize) {
                break;
            }
            List<Long> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add((long) order[i]);
            }
            batches.add(batch);
        }
        return batches.iterator();
    }

    @Override
    public int getBatchSize() {
        return batchSize;
    }
}
