package dev.keel.trainer.cli;

import dev.keel.trainer.runs.RunListing;
import dev.keel.trainer.runs.StudyListing;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code keel runs}: lists the runs under the runs root, newest first, then the studies under the studies root. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = {"List the runs under the runs root, newest first: id, kind (train or lr-find), config name, "
                + "test accuracy, duration, start time and status. A run that is training now, was killed half-way "
                + "or holds files that cannot be read is listed as such.",
                "Then, when the studies root holds any, the hyperparameter studies of keel tune: id, status, trials "
                        + "by state, the best objective and its trial, and epochs trained.",
                "Exit code 0, also when there are no runs; 2 when the runs root or the studies root is a file or "
                        + "cannot be read."},
        subcommands = RunsCompareCommand.class)
final class RunsCommand implements Callable<Integer> {
    @Option(names = "--runs-root", paramLabel = "DIR", defaultValue = "runs", scope = ScopeType.INHERIT,
            description = "The folder the runs are in (default: ${DEFAULT-VALUE}).")
    private Path runsRoot;

    @Option(names = "--studies-root", paramLabel = "DIR", defaultValue = "studies",
            description = "The folder keel tune's studies are in (default: ${DEFAULT-VALUE}).")
    private Path studiesRoot;

    @Spec
    private CommandSpec spec;

    /** The runs root, for {@code runs compare}, which inherits the option. */
    Path runsRoot() {
        return runsRoot;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        RunListing runs = RunListing.read(runsRoot);
        StudyListing studies = StudyListing.read(studiesRoot);
        runs.lines(ZoneId.systemDefault()).forEach(out::println);
        if (!studies.isEmpty()) {
            out.println();
            studies.lines().forEach(out::println);
        }
        out.flush();
        return 0;
    }
}
