package dev.keel.datasets;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Prepares the next batch on a background thread while the loop trains on the current one: a
 * queue of one batch, so memory stays bounded. A request that matches the prepared batch takes it;
 * any other (a resumed run, a jump back after a rollback, a new epoch) is prepared on the spot,
 * and since a batch is a pure function of its order, range and epoch, both give the same numbers.
 */
public final class BatchPrefetch {
    /** Prepares the floats of the items at {@code order[from..to)} for {@code epoch}; a pure function of them. */
    @FunctionalInterface
    public interface Loader {
        float[] load(int[] order, int from, int to, int epoch);
    }

    /** Which batch: the order array itself (an epoch's order is a new array), the range and the epoch. */
    private record Key(int[] order, int from, int to, int epoch) {
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

    /**
     * The floats of the items at {@code order[from..to)}: the prepared ones when they match, else
     * loaded now; then starts preparing the next range of the same size, when the order holds one.
     */
    public float[] take(int[] order, int from, int to, int epoch, Loader loader) {
        CompletableFuture<float[]> ready = new Key(order, from, to, epoch).matches(pendingKey) ? pending : null;
        float[] floats = ready != null ? ready.join() : loader.load(order, from, to, epoch);
        int next = to + (to - from);
        if (next <= order.length) {
            pendingKey = new Key(order, to, next, epoch);
            pending = CompletableFuture.supplyAsync(() -> loader.load(order, to, next, epoch), executor);
        } else {
            pendingKey = null;
            pending = null;
        }
        return floats;
    }
}
