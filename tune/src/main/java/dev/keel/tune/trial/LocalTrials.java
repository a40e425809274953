package dev.keel.tune.trial;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Trials on this machine: {@code slots} child processes at once, the machine's cores split between
 * them so that trials training side by side do not oversubscribe the CPU.
 */
public final class LocalTrials implements TrialExecutor {
    private final int slots;
    private final int threads;
    private final ExecutorService pool;

    public LocalTrials(int slots) {
        this(slots, Math.max(1, Runtime.getRuntime().availableProcessors() / slots));
    }

    public LocalTrials(int slots, int threadsPerTrial) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1, got " + slots);
        }
        this.slots = slots;
        this.threads = threadsPerTrial;
        this.pool = Executors.newFixedThreadPool(slots, runnable -> {
            Thread thread = new Thread(runnable, "keel-trial-slot");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public int threadsPerTrial() {
        return threads;
    }

    @Override
    public CompletableFuture<TrialReport> submit(TrialJob job) {
        return CompletableFuture.supplyAsync(() -> TrialProcess.run(job, 1), pool);
    }

    @Override
    public String describe() {
        return "this machine, " + slots + (slots == 1 ? " trial" : " trials") + " at a time, " + threads
                + (threads == 1 ? " thread" : " threads") + " each";
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
