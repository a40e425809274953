package dev.keel.trainer.track;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.datasets.fingerprint.Sha256;
import dev.keel.trainer.config.ConfigException;
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
 * {@code model/manifest.json}: the SHA-256 of every file a run saved in {@code model/}, written once
 * the model is complete, as checkpoints list theirs. {@code predict} and {@code evaluate} check it
 * before they load anything, so a damaged, truncated, missing or swapped file is named as such
 * instead of loading into wrong answers or failing deep inside the engine.
 *
 * <pre>
 * {"format_version": 1, "sha256": {"keel-model.json": "9f2c...", "model-0005.params": "41ab...", "synset.txt": "07de..."}}
 * </pre>
 */
public final class ModelManifest {
    /** The manifest's file name in {@code model/}. */
    public static final String FILE = "manifest.json";
    /** The format version written; a manifest of another version is refused. */
    public static final int FORMAT_VERSION = 1;

    private ModelManifest() {}

    /**
     * Lists every file in {@code modelDir} with its SHA-256 in {@code manifest.json}, written
     * atomically. Hidden files (a temporary file of an interrupted write) are not part of a model.
     *
     * @throws WriteFailedException when a file cannot be read or the manifest cannot be written
     */
    public static void write(Path modelDir) {
        Map<String, String> sums = new TreeMap<>();
        try {
            for (Path file : entries(modelDir)) {
                sums.put(file.getFileName().toString(), Sha256.ofFile(file));
            }
        } catch (IOException e) {
            throw WriteFailedException.of(modelDir.resolve(FILE), e);
        }
        ObjectNode manifest = RunDirectory.JSON.createObjectNode();
        manifest.put("format_version", FORMAT_VERSION);
        manifest.set("sha256", RunDirectory.JSON.valueToTree(sums));
        try {
            RunDirectory.writeAtomically(modelDir.resolve(FILE),
                    (RunDirectory.JSON.writeValueAsString(manifest) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    /**
     * Checks that {@code modelDir} holds exactly the files its manifest lists, each with its
     * SHA-256.
     *
     * @return a warning when there is no manifest (a model saved by a Keel before manifests), else empty
     * @throws ConfigException naming the file that is missing, damaged, unlisted or unreadable
     */
    public static Optional<String> verify(Path modelDir) {
        Path manifestFile = modelDir.resolve(FILE);
        if (!Files.exists(manifestFile)) {
            return Optional.of(modelDir + " has no " + FILE + " (saved by an older Keel): its files cannot be checked"
                    + " for damage");
        }
        Map<String, String> expected = read(manifestFile);
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            Path file = modelDir.resolve(entry.getKey());
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(file + (Files.exists(file) ? " is not a regular file" : " is missing")
                        + ": the saved model is incomplete; " + cure(modelDir));
            }
            String actual;
            try {
                actual = Sha256.ofFile(file);
            } catch (IOException e) {
                throw new ConfigException(file + ": cannot be read (" + reason(e) + ")");
            }
            if (!actual.equals(entry.getValue())) {
                throw new ConfigException(file + " fails its SHA-256 check: the saved model is damaged; "
                        + cure(modelDir));
            }
        }
        List<Path> present;
        try {
            present = entries(modelDir);
        } catch (IOException e) {
            throw new ConfigException(modelDir + ": cannot be listed (" + reason(e) + ")");
        }
        for (Path file : present) {
            if (!expected.containsKey(file.getFileName().toString())) {
                throw new ConfigException(file + " is not in " + manifestFile + ": the run did not save it, and the"
                        + " model loader could pick it up; move it out of " + modelDir);
            }
        }
        return Optional.empty();
    }

    /** The manifest's file names and checksums, each name a plain file name in {@code model/}. */
    private static Map<String, String> read(Path manifestFile) {
        if (!Files.isRegularFile(manifestFile)) {
            throw unusable(manifestFile, "not a regular file");
        }
        JsonNode manifest;
        try {
            manifest = RunDirectory.JSON.readTree(manifestFile.toFile());
        } catch (IOException e) {
            throw unusable(manifestFile, "cannot be read (" + reason(e) + ")");
        }
        if (manifest == null || !manifest.isObject()) {
            throw unusable(manifestFile, "not a JSON object");
        }
        int version = manifest.path("format_version").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new ConfigException(manifestFile + ": format_version " + manifest.path("format_version")
                    + ", this Keel reads " + FORMAT_VERSION + " (saved by a newer Keel, or edited)");
        }
        JsonNode sums = manifest.path("sha256");
        if (!sums.isObject() || sums.isEmpty()) {
            throw unusable(manifestFile, "lists no files under \"sha256\"");
        }
        Map<String, String> expected = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = sums.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            // A name with a separator could point the check at a file outside model/.
            if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")
                    || !entry.getValue().isTextual()) {
                throw unusable(manifestFile, "lists \"" + name + "\", which is not a file of model/ with its SHA-256");
            }
            expected.put(name, entry.getValue().asText());
        }
        return expected;
    }

    /** A manifest that cannot say what the model should hold: the model cannot be trusted either. */
    private static ConfigException unusable(Path manifestFile, String problem) {
        return new ConfigException(manifestFile + ": " + problem + ": the saved model is damaged and cannot be"
                + " checked; " + cure(manifestFile.getParent()));
    }

    private static String cure(Path modelDir) {
        Path runDir = modelDir.toAbsolutePath().getParent();
        return "retrain it (./keel train " + (runDir == null ? "CONFIG" : runDir.resolve("config.yaml"))
                + ") or restore model/ from a backup";
    }

    /** Every entry of {@code modelDir} but the manifest itself and hidden files, by name. */
    private static List<Path> entries(Path modelDir) throws IOException {
        try (Stream<Path> entries = Files.list(modelDir)) {
            return entries.filter(p -> !p.getFileName().toString().equals(FILE))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private static String reason(IOException e) {
        if (e instanceof JsonProcessingException json) {
            return JsonErrors.describe(json);
        }
        String reason = IoErrors.reason(e);
        return reason.lines().findFirst().orElse(reason);
    }
}
