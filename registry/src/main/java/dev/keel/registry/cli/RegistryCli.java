package dev.keel.registry.cli;

import dev.keel.registry.resolve.RegistryResolver;
import dev.keel.trainer.cli.KeelCli;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * {@code keel} with {@code registry}: Keel's command line from the registry module's jar, which adds
 * the {@code registry} command (and SQLite), and lets {@code predict} take {@code NAME@STAGE},
 * {@code NAME@VERSION} and {@code NAME@ALIAS} as well as run directories.
 */
public final class RegistryCli {
    private RegistryCli() {}

    public static void main(String[] args) {
        KeelCli.quietLogging();
        System.exit(commandLine().execute(args));
    }

    /** Keel's command line with {@code registry} added, references resolved in the default registry file. */
    public static CommandLine commandLine() {
        return KeelCli.commandLine(new RegistryResolver(RegistryOption::defaultFile))
                .addSubcommand("registry", new RegistryCommand());
    }

    /** As {@link #commandLine()}, references resolved in {@code registryFile} (for tests and embedding). */
    public static CommandLine commandLine(Path registryFile) {
        return KeelCli.commandLine(new RegistryResolver(() -> registryFile))
                .addSubcommand("registry", new RegistryCommand());
    }
}
