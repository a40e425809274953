package dev.keel.trainer.cli;

import dev.keel.datasets.check.DataReport;
import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.data.DataPreparation;
import dev.keel.trainer.data.PreparedData;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code keel check CONFIG}: reads and checks the config's data as training would, and trains nothing. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Read and check the config's data as train would: every file or row, the classes, "
                + "duplicates within and across splits, class balance. Prints every problem with its file "
                + "(and line); trains nothing and writes nothing.",
                "Exit code 0 when the data can be trained on as configured (no errors, or data.bad_items: skip), "
                        + "2 otherwise."})
final class CheckCommand implements Callable<Integer> {
    @Mixin
    private ConfigOptions options;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        // The options come with the config's mixin; taking one quietly would promise a run directory.
        for (String option : List.of("--run-dir", "--runs-root")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new ConfigException(option + ": check trains nothing and writes no run directory; drop the"
                        + " option");
            }
        }
        RunConfig config = options.load(List.of());
        PreparedData data = DataPreparation.prepare(config.data(), config.seed(), new DatasetResolver(), System.out,
                true);
        DataReport report = data.report();
        if (report == null) {
            System.out.println("data check: the IDX files are complete and consistent");
            return 0;
        }
        boolean usable = report.errors().isEmpty() || config.data().badItems().equals("skip");
        System.out.println(usable ? "the data can be trained on as configured"
                : "the data cannot be trained on as configured: fix the errors above, or set data.bad_items: skip "
                        + "to train without the unusable items");
        return usable ? 0 : KeelCli.EXIT_USAGE;
    }
}
