package dev.keel.trainer.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One JSON or YAML file of a run directory as a reader found it: absent, read, or unreadable for a
 * reason. A killed run, an older Keel or a hand edit can leave any file missing or broken; listing
 * and comparing runs say so and go on.
 *
 * @param name the file's name in the run directory
 * @param json its contents, a mapping of keys; null when absent or unreadable
 * @param problem why it could not be read; null when absent or read
 */
record RunFile(String name, JsonNode json, String problem) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** {@code dir/name} read as JSON. */
    static RunFile json(Path dir, String name) {
        return read(dir, name, JSON);
    }

    /** {@code dir/name} read as YAML. */
    static RunFile yaml(Path dir, String name) {
        return read(dir, name, YAML);
    }

    /** Whether the file is not there at all. */
    boolean absent() {
        return json == null && problem == null;
    }

    /** Whether it is there but could not be read as a mapping of keys. */
    boolean unreadable() {
        return problem != null;
    }

    /** The value at a JSON pointer such as {@code /test/accuracy}; a missing node when absent or unreadable. */
    JsonNode at(String pointer) {
        return json == null ? JSON.missingNode() : json.at(pointer);
    }

    private static RunFile read(Path dir, String name, ObjectMapper mapper) {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            return new RunFile(name, null, null);
        }
        if (Files.isDirectory(file)) {
            return new RunFile(name, null, "a folder, not a file");
        }
        if (!Files.isRegularFile(file)) {
            // Opening a FIFO waits for a writer that may never come; a device may never end.
            return new RunFile(name, null, "not a regular file (a pipe or a device?)");
        }
        if (!Files.isReadable(file)) {
            return new RunFile(name, null, "permission denied");
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            return new RunFile(name, null, syntaxError(e));
        } catch (AccessDeniedException e) {
            return new RunFile(name, null, "permission denied");
        } catch (IOException e) {
            return new RunFile(name, null, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return new RunFile(name, null, "empty");
        }
        if (!tree.isObject()) {
            return new RunFile(name, null, "not a mapping of keys");
        }
        return new RunFile(name, tree, null);
    }

    /** The parser's complaint without the source it quotes, and where: one short line for a listing. */
    private static String syntaxError(JsonProcessingException e) {
        String message = String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
        if (e instanceof JsonEOFException || message.startsWith("Unexpected end-of-input")) {
            message = "cut short";
        }
        int expecting = message.indexOf(": was expecting");
        if (expecting > 0) {
            message = message.substring(0, expecting); // the list of what JSON allows there says little
        }
        return e.getLocation() == null ? message
                : message + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
