package dev.keel.trainer.cli;

import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.run.LrFindRun;
import dev.keel.trainer.run.TrainingRun;
import dev.keel.trainer.schedule.LrFinder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel lr-find CONFIG}: sweeps the learning rate on the config's model and data and suggests one. */
@Command(name = "lr-find", mixinStandardHelpOptions = true,
        description = {"Sweep the learning rate exponentially over a few training steps (fastai's lr finder), "
                + "stop when the loss blows up, and suggest a rate.",
                "Writes config.yaml, provenance.json and lr_find.csv, lr_find.json and lr_find.png into a run "
                        + "directory. Trains nothing: the sweep's weights are thrown away."})
final class LrFindCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML config file.")
    private Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a config key, e.g. --set data.batch_size=64. Repeatable.")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Write here (a new or empty folder) instead of runs/<time>-<name>-lr-find.")
    private Path runDir;

    @Option(names = "--runs-root", paramLabel = "DIR", defaultValue = "runs",
            description = "Folder for new run directories (default: ${DEFAULT-VALUE}).")
    private Path runsRoot;

    @Option(names = "--start", paramLabel = "LR", defaultValue = "1e-7",
            description = "The first step's learning rate (default: ${DEFAULT-VALUE}).")
    private double start;

    @Option(names = "--end", paramLabel = "LR", defaultValue = "10",
            description = "The last step's learning rate (default: ${DEFAULT-VALUE}).")
    private double end;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "100",
            description = "Steps of the full sweep; it stops sooner once the loss passes 4x its best "
                    + "(default: ${DEFAULT-VALUE}).")
    private int steps;

    @Override
    public Integer call() {
        LrFinder.Settings settings;
        try {
            settings = new LrFinder.Settings(start, end, steps);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("lr-find: " + e.getMessage() + " (options --start, --end, --steps)");
        }
        RunConfig loaded = ConfigLoader.load(config, overrides);
        List<String> commandLine = new ArrayList<>(List.of("lr-find", config.toString()));
        overrides.forEach(o -> commandLine.addAll(List.of("--set", o)));
        commandLine.addAll(List.of("--start", String.valueOf(start), "--end", String.valueOf(end),
                "--steps", String.valueOf(steps)));
        new LrFindRun(loaded, new TrainingRun.Context(config.toString(), commandLine, runsRoot, runDir, System.out,
                System.console() != null, new DatasetResolver()), settings).run();
        return 0;
    }
}
