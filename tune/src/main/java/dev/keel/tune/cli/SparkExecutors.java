package dev.keel.tune.cli;

import dev.keel.trainer.config.ConfigException;
import dev.keel.tune.trial.TrialExecutor;

/** The Spark executor for {@code --spark MASTER}. */
final class SparkExecutors {
    private SparkExecutors() {}

    static TrialExecutor of(String master, int parallel) {
        throw new ConfigException("--spark " + master + ": not available in this build");
    }
}
