package dev.keel.trainer.cli;

import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.session.RunOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The config file, its overrides and where the run goes: shared by every command that starts a run. */
final class ConfigOptions {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "The YAML config file.")
    private Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a config key, e.g. --set train.epochs=2 --set model.channels=[16,32]. Repeatable.")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Write the run here (a new or empty folder) instead of under --runs-root.")
    private Path runDir;

    @Option(names = "--runs-root", paramLabel = "DIR", defaultValue = "runs",
            description = "Folder for new run directories, each named <time>-<name> (default: ${DEFAULT-VALUE}).")
    private Path runsRoot;

    /** The config, loaded, overridden and validated. */
    RunConfig load() {
        return load(List.of());
    }

    /** The config with the command's own options applied after the user's {@code --set}s. */
    RunConfig load(List<ConfigLoader.Assignment> commandOptions) {
        if (Files.exists(config) && !Files.isDirectory(config) && !Files.isRegularFile(config)) {
            // Reading a pipe would wait for a writer; the loader would call it missing.
            throw new ConfigException(config + ": not a regular file (a pipe or a device?); expected a YAML config"
                    + " file");
        }
        List<ConfigLoader.Assignment> all = new ArrayList<>(overrides.stream().map(ConfigLoader.Assignment::set).toList());
        all.addAll(commandOptions);
        return ConfigLoader.loadAssigned(config, all);
    }

    /** Where a run of {@code command} reports, with its command line recorded as given. */
    RunOptions context(String command, List<String> extraArguments) {
        List<String> commandLine = new ArrayList<>(List.of(command, config.toString()));
        overrides.forEach(o -> commandLine.addAll(List.of("--set", o)));
        commandLine.addAll(extraArguments);
        return new RunOptions(config.toString(), commandLine, runsRoot, runDir, System.out,
                System.console() != null, new DatasetResolver());
    }
}
