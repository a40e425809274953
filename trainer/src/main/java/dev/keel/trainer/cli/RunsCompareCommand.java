package dev.keel.trainer.cli;

import dev.keel.trainer.runs.RunComparison;
import dev.keel.trainer.runs.RunLocator;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code keel runs compare A B}: two runs' config differences and metrics side by side. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare two runs: the config keys whose values differ (or that one config lacks), then "
                + "status, epochs, steps, times, valid and test accuracy and loss, and the last epoch's training "
                + "loss side by side, with B - A.",
                "Exit code 0; 2 when a run is missing or is not a Keel run directory."})
final class RunsCompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "A run directory, or a run's id under the runs root.")
    private String a;

    @Parameters(index = "1", paramLabel = "B", description = "Another run directory or id.")
    private String b;

    @ParentCommand
    private RunsCommand runs;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        RunComparison comparison = RunComparison.of(RunLocator.locate(a, runs.runsRoot()),
                RunLocator.locate(b, runs.runsRoot()));
        PrintWriter out = spec.commandLine().getOut();
        comparison.lines().forEach(out::println);
        out.flush();
        return 0;
    }
}
