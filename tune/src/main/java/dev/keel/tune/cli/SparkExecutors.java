package dev.keel.tune.cli;

import dev.keel.trainer.config.ConfigException;
import dev.keel.tune.spark.SparkTrials;
import dev.keel.tune.trial.TrialExecutor;

/** The Spark executor for {@code --spark MASTER}, its failures to start as one clear message. */
final class SparkExecutors {
    private SparkExecutors() {}

    /**
     * @param parallel the trials the study keeps out at once, or null to take what the cluster holds
     * @param gpus whether each trial asks Spark for one GPU
     */
    static TrialExecutor of(String master, Integer parallel, boolean gpus) {
        SparkTrials.Options options = SparkTrials.Options.defaults().withGpuPerTrial(gpus);
        if (parallel != null && !master.startsWith("local")) {
            options = options.withSlots(parallel);
        }
        try {
            return new SparkTrials(master, options);
        } catch (RuntimeException e) {
            throw new ConfigException("--spark " + master + ": cannot run trials there: " + e.getMessage());
        }
    }
}
