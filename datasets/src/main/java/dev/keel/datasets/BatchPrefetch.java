package dev.keel.datasets;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Prepares the next batch on a background thread while the loop trains on the current one: a
 * queue of one batch, so memory stays bounded. A request that matches the prepared batch takes it;
 * any other (a resumed run, a jump back after a rollback, a new epoch) is prepared on the spot,
 * and since a batch is a pure function of its key, both give the same numbers.
 */
public final class BatchPrefetch {
    /** Which batch: the order array itself (an epoch's order is a new array), the range and the epoch. */
    public record Key(int[] order, int from, int to, int epoch) {
        boolean matches(Key other) {
            return other != null && order == other.order && from == other.from && to == other.to
                    && epoch == other.epoch;
        }
    }

    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "keel-batch-prefetch");
        thread.setDaemon(true);
        return thread;
    });
    private Key pendingKey;
    private CompletableFuture<float[]> pending;

    /** The batch for {@code key}: the prepared one when it matches, else computed now. */
    public float[] take(Key key, Supplier<float[]> compute) {
        CompletableFuture<float[]> ready = key.matches(pendingKey) ? pending : null;
        pendingKey = null;
        pending = null;
        return ready != null ? ready.join() : compute.get();
    }

    /** Starts preparing the batch for {@code key}. */
    public void ahead(Key key, Supplier<float[]> compute) {
        pendingKey = key;
        pending = CompletableFuture.supplyAsync(compute, executor);
    }
}
