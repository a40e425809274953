package dev.keel.trainer.api;

import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.engine.Offline;
import dev.keel.trainer.lrfind.LrFindRun;
import dev.keel.trainer.run.RunOutcome;
import dev.keel.trainer.run.TrainingRun;
import dev.keel.trainer.session.RunOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keel from Java: trains, resumes and sweeps the learning rate as {@code keel train}, {@code keel
 * resume} and {@code keel lr-find} do (the commands call these methods), leaving the same run
 * directory. No process is started and nothing calls {@code System.exit}.
 *
 * <pre>{@code
 * RunOutcome outcome = Keel.train(Path.of("configs/quickstart.yaml"), List.of("train.epochs=1"),
 *         RunOptions.defaults().withRunDir(Path.of("runs/one-epoch")));
 * double accuracy = outcome.test().accuracy();
 * }</pre>
 *
 * <p>What the commands report as exit codes arrives as exceptions: a bad config, data or run
 * directory as {@link dev.keel.trainer.config.ConfigException} or {@link dev.keel.datasets.DataException}
 * (exit code 2); a run that failed for a reason its run directory records (it diverged past its guard,
 * a file could not be written) as {@link dev.keel.trainer.session.TrainingFailedException} (exit code 3).
 * A run stopped by SIGINT or SIGTERM returns normally with status {@code INTERRUPTED}.
 */
public final class Keel {
    static {
        Offline.ensure();
    }

    private Keel() {}

    /** A YAML config with {@code key=value} overrides applied (as {@code --set} applies them), validated. */
    public static RunConfig config(Path yaml, List<String> overrides) {
        return ConfigLoader.load(yaml, overrides);
    }

    /** Trains {@code config} to the end in a new run directory. */
    public static RunOutcome train(RunConfig config, RunOptions options) {
        return new TrainingRun(config, options).run();
    }

    /**
     * Trains the YAML config {@code yaml} with {@code overrides} applied. Messages name {@code yaml};
     * when {@code options} record no command line, provenance.json records the equivalent
     * {@code keel train} command.
     */
    public static RunOutcome train(Path yaml, List<String> overrides, RunOptions options) {
        return train(config(yaml, overrides), described(options, "train", yaml, overrides));
    }

    /** Continues the run in {@code runDir} from its newest good checkpoint and finishes it. */
    public static RunOutcome resume(Path runDir, RunOptions options) {
        return TrainingRun.resume(runDir, options);
    }

    /** Sweeps the learning rate on {@code config}'s model and data and suggests a rate; trains nothing. */
    public static LrFindRun.Outcome lrFind(RunConfig config, RunOptions options) {
        return new LrFindRun(config, options).run();
    }

    /** {@code options} naming the config file in messages, and recording the command a user would have typed. */
    private static RunOptions described(RunOptions options, String command, Path yaml, List<String> overrides) {
        List<String> commandLine = new ArrayList<>(options.commandLine());
        if (commandLine.isEmpty()) {
            commandLine.addAll(List.of(command, yaml.toString()));
            overrides.forEach(o -> commandLine.addAll(List.of("--set", o)));
        }
        return options.withSource(yaml.toString(), commandLine);
    }
}
