package dev.keel.drift.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.predict.ModelReference;
import dev.keel.trainer.predict.TrainedModel;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The run that a drift check compares new data with: the config that built its training split,
 * the dataset its provenance records (with the fingerprints that prove the data unchanged), and
 * its model's description (the table transform's column types).
 *
 * @param reference what the user named, resolved to its run directory
 * @param name a short name for the run: the registry name and selector, or the directory's name
 * @param config the run's resolved config ({@code config.yaml})
 * @param configFile {@code config.yaml}, for the {@code drift:} section it may hold
 * @param dataset provenance.json's {@code dataset}: name, origin, location, counts, fingerprints
 * @param model {@code model/keel-model.json}
 */
public record ReferenceRun(ModelReference reference, String name, RunConfig config, Path configFile,
        JsonNode dataset, JsonNode model) {

    /** What the run was trained on, which decides the sections of the report. */
    public enum Kind {
        /** A CSV table. */
        TABLE,
        /** Images: IDX files or a folder of images. */
        IMAGES
    }

    /**
     * Reads the run that {@code reference} resolved to.
     *
     * @throws ConfigException naming the run directory and the file, when it is not a finished run
     *     whose training split can be rebuilt: no config.yaml, no dataset in provenance.json, no model
     */
    public static ReferenceRun open(ModelReference reference) {
        Path runDir = reference.runDir();
        TrainedModel.requireFolder(runDir);
        Path configFile = runDir.resolve(RunRecord.CONFIG);
        String cannot = ": so keel drift cannot rebuild the training split it compares new data with";
        if (!Files.isRegularFile(configFile)) {
            throw new ConfigException(runDir + ": has no " + RunRecord.CONFIG + " (not a Keel run directory)" + cannot);
        }
        RunConfig config = ConfigLoader.load(configFile, List.of());
        JsonNode dataset = json(runDir.resolve(RunRecord.PROVENANCE), cannot).path("dataset");
        if (!dataset.isObject() || dataset.path("name").asText().isEmpty()) {
            throw new ConfigException(runDir.resolve(RunRecord.PROVENANCE) + ": records no dataset" + cannot);
        }
        JsonNode model = json(runDir.resolve(RunRecord.MODEL_DESCRIPTION),
                ": the run has no saved model (it did not finish)");
        String name = reference.registryVersion() != null ? reference.text()
                : runDir.toAbsolutePath().normalize().getFileName().toString();
        return new ReferenceRun(reference, name, config, configFile, dataset, model);
    }

    /** Whether the run trained on a table or on images. */
    public Kind kind() {
        return config.data().format().equals("csv") ? Kind.TABLE : Kind.IMAGES;
    }

    /** The run directory. */
    public Path runDir() {
        return reference.runDir();
    }

    private static JsonNode json(Path file, String why) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file + ": not found" + why);
        }
        try {
            return RunDirectory.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read as JSON: " + String.valueOf(e.getMessage()).lines()
                    .findFirst().orElse(""));
        }
    }
}
