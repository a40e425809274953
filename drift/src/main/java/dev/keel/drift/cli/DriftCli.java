package dev.keel.drift.cli;

import dev.keel.registry.cli.RegistryCli;
import dev.keel.registry.cli.RegistryOption;
import dev.keel.registry.resolve.RegistryResolver;
import dev.keel.trainer.cli.KeelCli;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * {@code keel} with {@code drift} and {@code compare}: Keel's command line from the drift module's
 * jar, the registry's commands included, since a reference model may be {@code NAME@STAGE}.
 */
public final class DriftCli {
    private DriftCli() {}

    public static void main(String[] args) {
        KeelCli.quietLogging();
        System.exit(commandLine().execute(args));
    }

    /**
     * Keel's command line with the registry's commands, {@code drift} and {@code compare}, references
     * resolved in the default registry file.
     */
    public static CommandLine commandLine() {
        return withDrift(RegistryCli.commandLine(), RegistryOption::defaultFile);
    }

    /** As {@link #commandLine()}, references resolved in {@code registryFile} (for tests and embedding). */
    public static CommandLine commandLine(Path registryFile) {
        return withDrift(RegistryCli.commandLine(registryFile), () -> registryFile);
    }

    private static CommandLine withDrift(CommandLine keel, Supplier<Path> registryFile) {
        return keel.addSubcommand("drift", new DriftCommand(new RegistryResolver(registryFile)))
                .addSubcommand("compare", new CompareCommand(registryFile));
    }
}
