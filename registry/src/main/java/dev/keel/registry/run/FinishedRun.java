package dev.keel.registry.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.datasets.fingerprint.Sha256;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.runs.LockProbe;
import dev.keel.trainer.track.ModelManifest;
import dev.keel.trainer.track.RunLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A finished run as the registry records it, read and checked: a run directory that no process
 * holds, whose summary says it completed or stopped early, and whose model passes its manifest.
 *
 * <p>The record holds {@code status}; {@code hashes}: the SHA-256 of every file in {@code model/}
 * and of {@code provenance.json}, by path in the run directory; {@code config}: config.yaml's text;
 * {@code dataset}: provenance.json's data fingerprint; {@code metrics}: summary.json's {@code test}
 * and {@code valid}; {@code versions}: Keel, DJL, the engine and Java; {@code git}: commit and dirty flag.
 *
 * @param runDir the run directory, absolute and normalized
 * @param record what the registry records of it
 */
public record FinishedRun(Path runDir, ObjectNode record) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The files whose checksums tie a registered version to its run, besides every file in model/. */
    private static final List<String> HASHED_FILES = List.of("provenance.json");

    /**
     * Reads and checks the run in {@code runDir}.
     *
     * @throws ConfigException saying why the folder cannot be registered
     */
    public static FinishedRun read(Path runDir) {
        Path dir = runDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(runDir + ": " + (Files.exists(dir) ? "not a directory" : "does not exist")
                    + "; expected a Keel run directory");
        }
        if (!Files.isRegularFile(dir.resolve("config.yaml")) || !Files.isRegularFile(dir.resolve("provenance.json"))) {
            throw new ConfigException(runDir + ": not a Keel run directory (no config.yaml and provenance.json)");
        }
        if (LockProbe.held(dir)) {
            throw new ConfigException(runDir + ": unfinished: a process is working in it (its " + RunLock.FILE
                    + " is held); register it once the run ends");
        }
        if (!Files.isRegularFile(dir.resolve("summary.json"))) {
            throw new ConfigException(runDir + ": unfinished: no summary.json (killed or still starting);"
                    + " finish it with ./keel resume " + runDir);
        }
        JsonNode summary = readJson(dir.resolve("summary.json"));
        String status = summary.path("status").asText("");
        if (!status.equals("completed") && !status.equals("stopped")) {
            String reason = summary.path("reason").asText("");
            throw new ConfigException(runDir + ": the run " + (status.isEmpty() ? "records no status"
                    : "is " + status) + (reason.isEmpty() ? "" : " (" + reason + ")")
                    + "; only completed and stopped runs can be registered");
        }
        Path modelDir = dir.resolve("model");
        if (!Files.isDirectory(modelDir)) {
            throw new ConfigException(runDir + ": no model/ folder: the run saved no model");
        }
        Optional<String> unchecked = ModelManifest.verify(modelDir);
        if (unchecked.isPresent()) {
            throw new ConfigException(unchecked.get() + "; the registry registers only models it can check");
        }
        JsonNode provenance = readJson(dir.resolve("provenance.json"));

        ObjectNode record = JSON.createObjectNode();
        record.put("status", status);
        record.set("hashes", JSON.valueToTree(hashes(dir)));
        try {
            record.put("config", Files.readString(dir.resolve("config.yaml"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(dir.resolve("config.yaml") + ": cannot be read (" + e.getMessage() + ")");
        }
        record.set("dataset", provenance.path("dataset").isMissingNode() ? JSON.nullNode()
                : provenance.path("dataset").deepCopy());
        ObjectNode metrics = record.putObject("metrics");
        metrics.set("test", summary.path("test").isObject() ? summary.path("test").deepCopy() : JSON.nullNode());
        metrics.set("valid", summary.path("valid").isObject() ? summary.path("valid").deepCopy() : JSON.nullNode());
        ObjectNode versions = record.putObject("versions");
        Map<String, String> versionKeys = Map.of("keel", "keel_version", "djl", "djl_version", "engine", "engine",
                "engine_version", "engine_version", "java", "java_version");
        for (String key : List.of("keel", "djl", "engine", "engine_version", "java")) {
            JsonNode value = provenance.path(versionKeys.get(key));
            versions.set(key, value.isMissingNode() ? JSON.nullNode() : value.deepCopy());
        }
        ObjectNode git = record.putObject("git");
        git.set("commit", provenance.path("git_commit").isMissingNode() ? JSON.nullNode()
                : provenance.path("git_commit").deepCopy());
        git.set("dirty", provenance.path("git_dirty").isMissingNode() ? JSON.nullNode()
                : provenance.path("git_dirty").deepCopy());
        return new FinishedRun(dir, record);
    }

    /** The SHA-256 of every file in {@code model/} and of provenance.json, by path in the run directory. */
    public static Map<String, String> hashes(Path runDir) {
        Map<String, String> sums = new TreeMap<>();
        try (Stream<Path> files = Files.list(runDir.resolve("model"))) {
            for (Path file : files.filter(Files::isRegularFile).filter(FinishedRun::notHidden).sorted().toList()) {
                sums.put("model/" + file.getFileName(), Sha256.ofFile(file));
            }
            for (String name : HASHED_FILES) {
                sums.put(name, Sha256.ofFile(runDir.resolve(name)));
            }
        } catch (IOException e) {
            throw new ConfigException(runDir + ": cannot be read (" + e.getMessage() + ")");
        }
        return sums;
    }

    /**
     * Checks that every file a registered version recorded is still there with the same SHA-256, and
     * that {@code model/} holds no file it did not record.
     *
     * @param what the reference, for messages ({@code fraud@production})
     * @throws ConfigException naming the first file that vanished, changed or appeared
     */
    public static void verify(Path runDir, JsonNode hashes, String what) {
        if (!Files.isDirectory(runDir)) {
            throw new ConfigException(what + ": its run directory " + runDir + " is gone");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = hashes.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            Path file = runDir.resolve(entry.getKey());
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(what + ": " + file + " is missing: the run changed after it was registered");
            }
            String actual;
            try {
                actual = Sha256.ofFile(file);
            } catch (IOException e) {
                throw new ConfigException(what + ": " + file + " cannot be read (" + e.getMessage() + ")");
            }
            if (!actual.equals(entry.getValue().asText())) {
                throw new ConfigException(what + ": " + file + " changed after it was registered (its SHA-256 differs"
                        + " from the registry's): register the run again if the change is meant");
            }
        }
        try (Stream<Path> files = Files.list(runDir.resolve("model"))) {
            for (Path file : files.filter(FinishedRun::notHidden).sorted().toList()) {
                if (!hashes.has("model/" + file.getFileName())) {
                    throw new ConfigException(what + ": " + file + " was added after the version was registered");
                }
            }
        } catch (IOException e) {
            throw new ConfigException(what + ": " + runDir.resolve("model") + " cannot be listed (" + e.getMessage()
                    + ")");
        }
    }

    /** A hidden file (a temporary file of an interrupted write) is no part of a model, as for its manifest. */
    private static boolean notHidden(Path file) {
        return !file.getFileName().toString().startsWith(".");
    }

    private static JsonNode readJson(Path file) {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new ConfigException(file + ": not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read as JSON (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")");
        }
    }
}
