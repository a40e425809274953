package dev.keel.trainer.cli;

import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.run.LrFindRun;
import dev.keel.trainer.schedule.LrFinder;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keel lr-find CONFIG}: sweeps the learning rate on the config's model and data and suggests one. */
@Command(name = "lr-find", mixinStandardHelpOptions = true,
        description = {"Sweep the learning rate exponentially over a few training steps (fastai's lr finder), "
                + "stop when the loss blows up, and suggest a rate.",
                "Writes config.yaml, provenance.json and lr_find.csv, lr_find.json and lr_find.png into a run "
                        + "directory. Trains nothing: the sweep's weights are thrown away."})
final class LrFindCommand implements Callable<Integer> {
    @Mixin
    private ConfigOptions options;

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
        new LrFindRun(options.load(), options.context("lr-find", List.of("--start", String.valueOf(start), "--end",
                String.valueOf(end), "--steps", String.valueOf(steps))), settings).run();
        return 0;
    }
}
