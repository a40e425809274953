package dev.keel.registry.cli;

import dev.keel.registry.resolve.RegistryResolver;
import dev.keel.trainer.cli.KeelCli;
import dev.keel.trainer.predict.ModelResolver;
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
        return KeelCli.commandLine(resolver()).addSubcommand("registry", new RegistryCommand());
    }

    /**
     * What resolves a MODEL argument: a run directory, or {@code NAME@STAGE} looked up in the
     * default registry file ({@code $KEEL_REGISTRY}, else registry.db in the working directory).
     */
    public static ModelResolver resolver() {
        return new RegistryResolver(RegistryOption::defaultFile);
    }

    /** As {@link #commandLine()}, references resolved in {@code registryFile} (for tests and embedding). */
    public static CommandLine commandLine(Path registryFile) {
        return KeelCli.commandLine(new RegistryResolver(() -> registryFile))
                .addSubcommand("registry", new RegistryCommand());
    }
}
