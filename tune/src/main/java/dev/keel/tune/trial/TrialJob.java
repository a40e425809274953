package dev.keel.tune.trial;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One piece of a trial's training: start the trial (or continue it from its checkpoint) and train
 * it until {@code pauseAfterEpoch}. Plain strings and numbers, so it travels to another process or a
 * Spark executor as JSON.
 *
 * @param seq the job's number in the study (issue order)
 * @param trial the trial's number
 * @param runDir the trial's run directory (absolute; on a cluster, a path every worker sees)
 * @param config the study's base config file (absolute)
 * @param overrides the trial's {@code key=value} assignments, applied as {@code --set} applies them
 * @param pauseAfterEpoch the epoch (1-based) to pause after; the config's last epoch trains to the end
 * @param threads intra-op threads for the trial's training (the machine's cores split between slots)
 * @param log the file the trial's output is appended to (absolute)
 */
public record TrialJob(long seq, int trial, String runDir, String config, List<String> overrides,
        int pauseAfterEpoch, int threads, String log) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public TrialJob {
        overrides = List.copyOf(overrides);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TrialJob fromJson(String json) {
        try {
            return JSON.readValue(json, TrialJob.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
