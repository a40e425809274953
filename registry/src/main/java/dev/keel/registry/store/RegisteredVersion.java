package dev.keel.registry.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered version as the registry holds it now.
 *
 * @param model the model's name
 * @param version its number, never reused within the model
 * @param runDir the run directory, absolute
 * @param description what the user said about it, or null
 * @param registeredAt when it was registered
 * @param registeredBy who registered it
 * @param stage its stage now
 * @param deletedAt when it was deleted, or null
 * @param tags its tags, by key
 * @param aliases the aliases that point at it, sorted
 * @param record what registration recorded of the run: hashes, config, data fingerprint, metrics, versions, git
 */
public record RegisteredVersion(String model, int version, String runDir, String description, Instant registeredAt,
        String registeredBy, Stage stage, Instant deletedAt, Map<String, String> tags, List<String> aliases,
        ObjectNode record) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether the version was deleted: it stays in the history, and nothing can use it. */
    public boolean deleted() {
        return deletedAt != null;
    }

    /**
     * The version as one JSON object: {@code name}, {@code version}, {@code stage}, {@code aliases},
     * {@code deleted_at}, {@code run_dir}, {@code registered_at}, {@code registered_by},
     * {@code description}, {@code tags}, then what registration recorded ({@code status},
     * {@code hashes}, {@code config}, {@code dataset}, {@code metrics}, {@code versions}, {@code git}).
     */
    public ObjectNode toJson() {
        ObjectNode json = JSON.createObjectNode();
        json.put("name", model);
        json.put("version", version);
        json.put("stage", stage.word());
        json.set("aliases", JSON.valueToTree(aliases));
        json.put("deleted_at", deletedAt == null ? null : deletedAt.toString());
        json.put("run_dir", runDir);
        json.put("registered_at", registeredAt.toString());
        json.put("registered_by", registeredBy);
        json.put("description", description);
        json.set("tags", JSON.valueToTree(tags));
        json.setAll(record.deepCopy());
        return json;
    }
}
