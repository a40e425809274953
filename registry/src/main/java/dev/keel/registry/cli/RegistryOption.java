package dev.keel.registry.cli;

import dev.keel.registry.store.RegistryStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --registry PATH}, which every registry command takes: the SQLite file to use; and who
 * makes a change. Commands of other modules that change the registry ({@code keel compare
 * --promote}) take the same option.
 */
public final class RegistryOption {
    @Option(names = "--registry", paramLabel = "PATH", description = "The registry file (default: $KEEL_REGISTRY,"
            + " else registry.db in the working directory, beside runs/).")
    private Path file;

    /** The file {@code --registry} names, else the default one. */
    Path file() {
        return file != null ? file : defaultFile();
    }

    /** {@code $KEEL_REGISTRY}, else {@code registry.db} in the working directory. */
    public static Path defaultFile() {
        String env = System.getenv("KEEL_REGISTRY");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(RegistryStore.DEFAULT_FILE);
    }

    /** Who makes a change: {@code $KEEL_USER}, else the JVM's user name. */
    public static String user() {
        String env = System.getenv("KEEL_USER");
        return env != null && !env.isBlank() ? env : System.getProperty("user.name", "unknown");
    }
}
