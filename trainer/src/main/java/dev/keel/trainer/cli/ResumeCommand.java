package dev.keel.trainer.cli;

import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.trainer.api.Keel;
import dev.keel.trainer.session.RunOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code keel resume RUN_DIR}: continues a run from its newest good checkpoint. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a run from its newest checkpoint whose checksums hold (a corrupt one is skipped"
                + " with a warning) and finish it as its config.yaml says.")
final class ResumeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run directory to continue.")
    private Path runDir;

    @Override
    public Integer call() {
        return Keel.resume(runDir, new RunOptions(runDir.resolve("config.yaml").toString(),
                List.of("resume", runDir.toString()), runDir.getParent(), runDir, System.out, System.console() != null,
                new DatasetResolver())).exitCode();
    }
}
