package dev.keel.trainer.runs;

import dev.keel.trainer.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the run a command line names: a run directory's path, or a run's id under the runs root. */
public final class RunLocator {
    private RunLocator() {}

    /**
     * The run folder {@code name} means: the folder at that path, else the folder of that id under
     * {@code runsRoot}.
     *
     * @throws ConfigException when neither is a folder, or the folder is not a Keel run (no config.yaml)
     */
    public static Path locate(String name, Path runsRoot) {
        Path path = Path.of(name);
        Path folder = Files.isDirectory(path) ? path : runsRoot.resolve(name);
        if (!Files.isDirectory(folder)) {
            throw new ConfigException(name + ": no such run (neither a folder nor a run id under " + runsRoot + ")");
        }
        Path config = folder.resolve("config.yaml");
        if (Files.exists(config) && !Files.isRegularFile(config)) {
            throw new ConfigException(config + ": not a regular file (a Keel run's config.yaml is one)");
        }
        if (!Files.isRegularFile(config)) {
            throw new ConfigException(folder + ": not a Keel run directory (no config.yaml)");
        }
        return folder;
    }
}
