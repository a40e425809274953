package dev.keel.trainer.cli;

import dev.keel.trainer.api.Keel;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code keel train CONFIG}: trains as the config says and leaves a run directory. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model from a YAML config and write a run directory.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    private ConfigOptions options;

    @Override
    public Integer call() {
        return Keel.train(options.load(), options.context("train", List.of())).exitCode();
    }
}
