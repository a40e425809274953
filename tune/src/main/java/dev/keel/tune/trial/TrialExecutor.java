package dev.keel.tune.trial;

import java.util.concurrent.CompletableFuture;

/**
 * Where a study's trials train: this machine ({@link LocalTrials}) or a Spark cluster. The study's
 * driver decides every job and keeps the store; an executor only trains and reports.
 */
public interface TrialExecutor extends AutoCloseable {

    /** How many jobs run at once. */
    int slots();

    /** Intra-op threads each trial trains with. */
    int threadsPerTrial();

    /**
     * Starts {@code job}; the future completes with its report. A job whose process fails completes
     * with a failed report, not exceptionally.
     */
    CompletableFuture<TrialReport> submit(TrialJob job);

    /** What the study records about where its trials ran, e.g. {@code local, 2 slots}. */
    String describe();

    @Override
    void close();
}
