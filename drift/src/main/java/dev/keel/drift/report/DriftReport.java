package dev.keel.drift.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.drift.config.DriftConfig;
import java.util.Map;

/**
 * Everything a drift check found, as drift.json holds it (keys in snake case): what was compared,
 * with what settings, each section's numbers and the verdict.
 *
 * @param keelVersion the Keel that checked
 * @param created when (ISO-8601, UTC)
 * @param reference the reference run and the data it trained on
 * @param newData the new data
 * @param seed the seed of any sampling (the reference run's, unless {@code --seed} gave one)
 * @param configSource the file the {@code drift:} settings came from, or {@code defaults}
 * @param config the settings used, every default filled in
 * @param drifted the verdict: whether any section found drift
 * @param exitCode what {@code keel drift} exits with: 0 no drift, 4 drift
 * @param sections the sections by key ({@code table}, ...), in the order they were checked
 */
@JsonPropertyOrder({"keel_version", "created", "reference", "new_data", "seed", "config_source", "config", "drifted",
        "exit_code", "sections"})
public record DriftReport(String keelVersion, String created, Reference reference, NewData newData, long seed,
        String configSource, DriftConfig config, boolean drifted, int exitCode, Map<String, DriftSection> sections) {

    /** How drift.json is written: snake-case keys, indented. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * The reference.
     *
     * @param text the REFERENCE argument as given (a run directory, or {@code NAME@STAGE})
     * @param runDir the run directory it resolved to
     * @param name its short name
     * @param registryVersion the registry's record of the version, or null for a run directory given as such
     * @param dataset provenance.json's {@code dataset}: name, origin, location, counts, SHA-256 fingerprints
     * @param split which of the run's splits is the reference sample: {@code train}
     */
    public record Reference(String text, String runDir, String name, ObjectNode registryVersion, JsonNode dataset,
            String split) {}

    /**
     * The new data.
     *
     * @param path the file or folder given
     * @param sha256 its SHA-256
     * @param rows how many items it holds
     */
    public record NewData(String path, String sha256, int rows) {}
}
