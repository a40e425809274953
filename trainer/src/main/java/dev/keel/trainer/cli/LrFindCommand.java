package dev.keel.trainer.cli;

import dev.keel.trainer.api.Keel;
import dev.keel.trainer.config.ConfigLoader;
import java.util.ArrayList;
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

    @Option(names = "--start", paramLabel = "LR",
            description = "The first step's learning rate: lr_find.start_lr (default 1e-7).")
    private String start;

    @Option(names = "--end", paramLabel = "LR", description = "The last step's learning rate: lr_find.end_lr (default 10).")
    private String end;

    @Option(names = "--steps", paramLabel = "N",
            description = "Steps of the full sweep, which stops sooner once the loss passes 4x its best: "
                    + "lr_find.steps (default 100).")
    private String steps;

    @Option(names = "--suggestion", paramLabel = "NAME",
            description = "The suggestion to report as the rate to train with: bottom_div_10, valley, steep or "
                    + "minimum_div_10 (lr_find.suggestion, default bottom_div_10).")
    private String suggestion;

    @Override
    public Integer call() {
        // Each option is shorthand for --set lr_find.KEY=VALUE, validated and recorded like one.
        List<ConfigLoader.Assignment> overrides = new ArrayList<>();
        List<String> given = new ArrayList<>();
        addOverride(overrides, given, "--start", "start_lr", start);
        addOverride(overrides, given, "--end", "end_lr", end);
        addOverride(overrides, given, "--steps", "steps", steps);
        addOverride(overrides, given, "--suggestion", "suggestion", suggestion);
        Keel.lrFind(options.load(overrides), options.context("lr-find", given));
        return 0;
    }

    private static void addOverride(List<ConfigLoader.Assignment> overrides, List<String> given, String option,
            String key, String value) {
        if (value != null) {
            overrides.add(new ConfigLoader.Assignment("lr_find." + key + "=" + value, option + " " + value));
            given.addAll(List.of(option, value));
        }
    }
}
