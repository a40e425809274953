package dev.keel.tune.study;

import dev.keel.tune.trial.TrialReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trials made and moved on as {@link Study} does it (proposed, told each job's report, continued,
 * pruned), for tests of what reads them: the study's files and page.
 */
public final class StudyTrials {
    private StudyTrials() {}

    /** Trial {@code number} with {@code params}, its run directory where the driver puts it in {@code folder}. */
    public static Trial propose(Path folder, int number, Map<String, Double> params) {
        Path runDir = folder.resolve("trials").resolve(String.format(Locale.ROOT, "trial-%04d", number));
        return new Trial(number, params, List.of(), runDir);
    }

    /**
     * Tells {@code trial} the report of a job that trained it to epoch {@code accuracies.length}, with
     * these validation accuracies after its epochs (the loss one minus the accuracy).
     *
     * @param status the run's status after the job: {@code interrupted} (paused), {@code completed}
     *     or {@code failed}
     * @param testAccuracy the test accuracy of a completed run, else null
     */
    public static Trial report(Trial trial, Objective objective, String status, Double testAccuracy,
            String reason, double seconds, double... accuracies) {
        List<TrialReport.EpochMetrics> epochs = new ArrayList<>();
        for (int i = 0; i < accuracies.length; i++) {
            epochs.add(new TrialReport.EpochMetrics(i + 1, accuracies[i], 1 - accuracies[i]));
        }
        trial.apply(new TrialReport(0, trial.number(), status, epochs, testAccuracy, reason, seconds, 1), objective);
        return trial;
    }

    /** The pruner continues {@code trial}. */
    public static Trial resume(Trial trial) {
        trial.resume();
        return trial;
    }

    /** The study ended with {@code trial} paused. */
    public static Trial prune(Trial trial) {
        trial.prune();
        return trial;
    }
}
