package dev.keel.tune.study;

import dev.keel.tune.sampler.TrialHistory;
import dev.keel.tune.trial.TrialReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One trial of a study as the driver tracks it: its values, where it stands, what it reported. */
public final class Trial {
    private final int number;
    private final Map<String, Double> params;
    private final List<String> overrides;
    private final Path runDir;
    private final TreeMap<Integer, Double> objective = new TreeMap<>();
    private TrialState state = TrialState.RUNNING;
    private int epochsDone;
    private Double testAccuracy;
    private String reason;
    private double seconds;

    Trial(int number, Map<String, Double> params, List<String> overrides, Path runDir) {
        this.number = number;
        this.params = Map.copyOf(params);
        this.overrides = List.copyOf(overrides);
        this.runDir = runDir;
    }

    /** Takes in the report of one of its jobs. */
    void apply(TrialReport report, Objective measure) {
        seconds += report.seconds();
        report.epochs().forEach(epoch -> objective.put(epoch.epoch(), measure.of(epoch)));
        epochsDone = report.lastEpoch();
        if (report.failed()) {
            state = TrialState.FAILED;
            reason = report.reason();
        } else if (report.status().equals("interrupted")) {
            state = TrialState.PAUSED;
        } else {
            state = TrialState.COMPLETE;
            testAccuracy = report.testAccuracy();
        }
    }

    void resume() {
        state = TrialState.RUNNING;
    }

    void prune() {
        state = TrialState.PRUNED;
    }

    /** What a sampler learns from this trial. */
    TrialHistory history() {
        return new TrialHistory(number, params, state, value(), objective);
    }

    public int number() {
        return number;
    }

    /** Its values in their internal form, by key. */
    public Map<String, Double> params() {
        return params;
    }

    /** The {@code key=value} overrides it trains with. */
    public List<String> overrides() {
        return overrides;
    }

    public Path runDir() {
        return runDir;
    }

    public TrialState state() {
        return state;
    }

    public int epochsDone() {
        return epochsDone;
    }

    /** The objective after each epoch trained. */
    public TreeMap<Integer, Double> objective() {
        return new TreeMap<>(objective);
    }

    /** The objective after its last epoch when it completed, else null. */
    public Double value() {
        return state == TrialState.COMPLETE && !objective.isEmpty() ? objective.lastEntry().getValue() : null;
    }

    /** The objective after the last epoch it trained, finished or not; null before its first. */
    public Double lastValue() {
        return objective.isEmpty() ? null : objective.lastEntry().getValue();
    }

    public Double testAccuracy() {
        return testAccuracy;
    }

    public String reason() {
        return reason;
    }

    /** The wall time of its jobs together. */
    public double seconds() {
        return seconds;
    }
}
