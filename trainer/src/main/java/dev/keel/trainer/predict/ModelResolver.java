package dev.keel.trainer.predict;

import dev.keel.trainer.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves a command's MODEL argument to the run directory that holds the model. */
@FunctionalInterface
public interface ModelResolver {
    /**
     * Run directories only: what the trainer's own jar resolves. A registry reference is refused
     * with a pointer to the command that resolves it.
     */
    ModelResolver RUN_DIRECTORIES = text -> {
        Path path = Path.of(text);
        if (!Files.exists(path) && ModelReference.looksLikeRegistryReference(text)) {
            throw new ConfigException(text + ": not a run directory, and registry references (NAME@STAGE) are"
                    + " resolved by Keel's registry, which this command line lacks: run it through ./keel");
        }
        return ModelReference.runDirectory(path);
    };

    /**
     * The run directory {@code text} names.
     *
     * @throws ConfigException when it names nothing that holds a model, saying why
     */
    ModelReference resolve(String text);
}
