package dev.keel.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a run directory holds, read the way a user's tools would read it. */
public final class RunFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunFiles() {}

    /** summary.json. */
    public static JsonNode summary(Path run) throws IOException {
        return JSON.readTree(run.resolve("summary.json").toFile());
    }

    /** The lines of metrics.jsonl whose {@code kind} is {@code kind}, in order. */
    public static List<JsonNode> metrics(Path run, String kind) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode json = JSON.readTree(line);
            if (json.get("kind").asText().equals(kind)) {
                lines.add(json);
            }
        }
        return lines;
    }
}
