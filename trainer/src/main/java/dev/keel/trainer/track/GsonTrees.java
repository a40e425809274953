package dev.keel.trainer.track;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.UncheckedIOException;

/**
 * Moves JSON trees between Jackson, which writes the run directory, and Gson, in which Keel's
 * serving module reads and writes what a saved model carries (normalisation, table transform).
 */
public final class GsonTrees {
    private GsonTrees() {}

    /** The same JSON as a Gson tree; a missing or null node is Gson's null. */
    public static JsonElement toGson(JsonNode node) {
        return node == null ? null : JsonParser.parseString(node.toString());
    }

    /** The same JSON as a Jackson tree. */
    public static JsonNode toJackson(JsonElement element) {
        try {
            return RunDirectory.JSON.readTree(element.toString());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
