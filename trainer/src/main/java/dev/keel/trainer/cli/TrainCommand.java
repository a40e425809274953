package dev.keel.trainer.cli;

import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.run.TrainingRun;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel train CONFIG}: trains as the config says and leaves a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model from a YAML config and write a run directory.")
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML config file.")
    private Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a config key, e.g. --set train.epochs=2 --set model.channels=[16,32]. Repeatable.")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Write the run here (a new or empty folder) instead of runs/<time>-<name>.")
    private Path runDir;

    @Option(names = "--runs-root", paramLabel = "DIR", defaultValue = "runs",
            description = "Folder for new run directories (default: ${DEFAULT-VALUE}).")
    private Path runsRoot;

    @Override
    public Integer call() {
        RunConfig loaded = ConfigLoader.load(config, overrides);
        List<String> commandLine = new ArrayList<>(List.of("train", config.toString()));
        overrides.forEach(o -> commandLine.addAll(List.of("--set", o)));
        PrintStream out = System.out;
        new TrainingRun(loaded, new TrainingRun.Context(config.toString(), commandLine, runsRoot, runDir, out,
                System.console() != null, new DatasetResolver())).run();
        return 0;
    }
}
