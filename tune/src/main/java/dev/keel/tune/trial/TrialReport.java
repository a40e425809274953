package dev.keel.tune.trial;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.report.MetricsHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What one {@link TrialJob} left, read back from the trial's run directory (its metrics.jsonl and
 * summary.json) by whichever machine ran it.
 *
 * @param seq the job's number
 * @param trial the trial's number
 * @param status the run's status after the job: {@code interrupted} (paused), {@code completed},
 *     {@code stopped} (its own early stopping), {@code failed}, or {@code incomplete} (its process was
 *     stopped or killed before the job's epoch: the job is not done and runs again)
 * @param epochs the validation metrics after every epoch the run has trained so far
 * @param testAccuracy the test accuracy of a finished run, else null
 * @param reason why the job failed, else null
 * @param seconds the job's wall time
 * @param attempts how many times the job was started (more than one when a worker was lost)
 */
public record TrialReport(long seq, int trial, String status, List<EpochMetrics> epochs, Double testAccuracy,
        String reason, double seconds, int attempts) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Exit codes of a process stopped by SIGINT, SIGTERM or SIGKILL. */
    private static final java.util.Set<Integer> KILLED = java.util.Set.of(130, 143, 137);

    /** The validation metrics after one epoch (1-based). */
    public record EpochMetrics(int epoch, double validAccuracy, double validLoss) {}

    public TrialReport {
        epochs = List.copyOf(epochs);
    }

    /** Whether the job failed (the run could not train, or its process died). */
    public boolean failed() {
        return "failed".equals(status);
    }

    /** Whether the job's process was stopped before it finished: the job must run again. */
    public boolean incomplete() {
        return "incomplete".equals(status);
    }

    /** The last epoch trained, 0 when none. */
    public int lastEpoch() {
        return epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch();
    }

    /** A failed job's report. */
    public static TrialReport failure(TrialJob job, String reason, double seconds, int attempts) {
        return new TrialReport(job.seq(), job.trial(), "failed", List.of(), null, reason, seconds, attempts);
    }

    /**
     * The report of {@code job} from its run directory, after its process ended with {@code exitCode}.
     *
     * @param errorTail the last lines the process wrote, for the reason of a failure
     */
    public static TrialReport read(TrialJob job, int exitCode, String errorTail, double seconds, int attempts) {
        Path runDir = Path.of(job.runDir());
        List<EpochMetrics> epochs;
        String status;
        Double test = null;
        try {
            epochs = epochLines(runDir.resolve("metrics.jsonl"));
            JsonNode summary = JSON.readTree(runDir.resolve("summary.json").toFile());
            status = summary.path("status").asText("failed");
            JsonNode accuracy = summary.path("test").path("accuracy");
            test = accuracy.isNumber() ? accuracy.asDouble() : null;
        } catch (IOException e) {
            if (KILLED.contains(exitCode)) {
                return new TrialReport(job.seq(), job.trial(), "incomplete", List.of(), null,
                        "stopped before it wrote a summary (exit code " + exitCode + ")", seconds, attempts);
            }
            return failure(job, exitCode != 0 ? errorTail : "the run left no summary.json: " + e.getMessage(), seconds,
                    attempts);
        }
        boolean stoppedEarly = status.equals("interrupted") && (epochs.isEmpty()
                || epochs.get(epochs.size() - 1).epoch() < job.pauseAfterEpoch());
        if (KILLED.contains(exitCode) || exitCode == 0 && stoppedEarly) {
            return new TrialReport(job.seq(), job.trial(), "incomplete", epochs, null,
                    "stopped before epoch " + job.pauseAfterEpoch() + " (exit code " + exitCode + ")", seconds, attempts);
        }
        if (exitCode != 0 || status.equals("failed")) {
            return new TrialReport(job.seq(), job.trial(), "failed", epochs, null,
                    errorTail.isBlank() ? "exit code " + exitCode : errorTail, seconds, attempts);
        }
        return new TrialReport(job.seq(), job.trial(), status, epochs, test, null, seconds, attempts);
    }

    /** The validation metrics of each epoch in the run's metrics.jsonl (the trainer's own reader). */
    private static List<EpochMetrics> epochLines(Path metrics) {
        return MetricsHistory.read(metrics).epochs().stream()
                .map(epoch -> new EpochMetrics(epoch.epoch(), epoch.validAccuracy(), epoch.validLoss())).toList();
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TrialReport fromJson(String json) {
        try {
            return JSON.readValue(json, TrialReport.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
