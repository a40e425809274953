package dev.keel.tune.cli;

import dev.keel.trainer.cli.KeelCli;
import picocli.CommandLine;

/**
 * {@code keel} with {@code tune}: Keel's command line from the tune module's jar, which adds the
 * {@code tune} command (and SQLite, and Spark) to what {@code keel train} loads.
 */
public final class TuneCli {
    private TuneCli() {}

    public static void main(String[] args) {
        KeelCli.quietLogging();
        System.exit(commandLine().execute(args));
    }

    /** Keel's command line with {@code tune} added, for {@link #main} and tests. */
    public static CommandLine commandLine() {
        return KeelCli.commandLine().addSubcommand("tune", new TuneCommand());
    }
}
