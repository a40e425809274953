package dev.keel.trainer.session;

import dev.keel.datasets.resolve.DatasetResolver;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a run goes and reports, and what it records about how it was started: shared by every
 * command that trains, resumes or sweeps, and by programs that start runs through
 * {@link dev.keel.trainer.api.Keel}.
 *
 * @param source the config file's name, for messages
 * @param commandLine the arguments as given, recorded in provenance.json
 * @param runsRoot the folder new run directories go under
 * @param runDir an explicit run directory (a new or empty folder), or null for one under {@code runsRoot}
 * @param out where progress goes
 * @param terminal whether {@code out} is a terminal (a redrawn bar) or a log (plain lines)
 * @param resolver finds named datasets
 * @param pauseAfterEpoch the epoch (1-based) after which the run stops as interrupted, with a checkpoint
 *     that {@code keel resume} continues exactly; 0 to train to the end. Tuning pauses trials this way.
 */
public record RunOptions(String source, List<String> commandLine, Path runsRoot, Path runDir, PrintStream out,
        boolean terminal, DatasetResolver resolver, int pauseAfterEpoch) {

    public RunOptions {
        Objects.requireNonNull(source, "source");
        commandLine = List.copyOf(commandLine);
        Objects.requireNonNull(runsRoot, "runsRoot");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(resolver, "resolver");
        if (pauseAfterEpoch < 0) {
            throw new IllegalArgumentException("pauseAfterEpoch must be 0 (none) or an epoch, not " + pauseAfterEpoch);
        }
    }

    /** Options that train to the end. */
    public RunOptions(String source, List<String> commandLine, Path runsRoot, Path runDir, PrintStream out,
            boolean terminal, DatasetResolver resolver) {
        this(source, commandLine, runsRoot, runDir, out, terminal, resolver, 0);
    }

    /**
     * Runs under {@code runs/}, progress as plain lines on standard output, named datasets found
     * as {@code keel train} finds them.
     */
    public static RunOptions defaults() {
        return new RunOptions("config", List.of(), Path.of("runs"), null, System.out, false, new DatasetResolver());
    }

    /** These options with the run written to {@code dir} (a new or empty folder). */
    public RunOptions withRunDir(Path dir) {
        return new RunOptions(source, commandLine, runsRoot, dir, out, terminal, resolver, pauseAfterEpoch);
    }

    /** These options with new run directories under {@code root}. */
    public RunOptions withRunsRoot(Path root) {
        return new RunOptions(source, commandLine, root, runDir, out, terminal, resolver, pauseAfterEpoch);
    }

    /** These options with progress written to {@code stream}, as a redrawn bar when {@code isTerminal}. */
    public RunOptions withOut(PrintStream stream, boolean isTerminal) {
        return new RunOptions(source, commandLine, runsRoot, runDir, stream, isTerminal, resolver, pauseAfterEpoch);
    }

    /** These options naming {@code configSource} in messages and recording {@code arguments} as the command line. */
    public RunOptions withSource(String configSource, List<String> arguments) {
        return new RunOptions(configSource, arguments, runsRoot, runDir, out, terminal, resolver, pauseAfterEpoch);
    }

    /** These options with named datasets found by {@code datasets}. */
    public RunOptions withResolver(DatasetResolver datasets) {
        return new RunOptions(source, commandLine, runsRoot, runDir, out, terminal, datasets, pauseAfterEpoch);
    }

    /**
     * These options stopping the run after epoch {@code epoch} (1-based) as interrupted, with a
     * checkpoint to resume from; 0 trains to the end.
     */
    public RunOptions withPauseAfterEpoch(int epoch) {
        return new RunOptions(source, commandLine, runsRoot, runDir, out, terminal, resolver, epoch);
    }
}
