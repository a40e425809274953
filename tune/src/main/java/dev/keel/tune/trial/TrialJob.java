package dev.keel.tune.trial;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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

    /**
     * This job with {@code assignment} applied after its overrides. It reaches a trial's start only:
     * a trial continued from its checkpoint trains with the config its run directory recorded.
     */
    public TrialJob withOverride(String assignment) {
        List<String> more = new ArrayList<>(overrides);
        more.add(assignment);
        return new TrialJob(seq, trial, runDir, config, more, pauseAfterEpoch, threads, log);
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
