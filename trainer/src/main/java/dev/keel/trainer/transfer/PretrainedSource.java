package dev.keel.trainer.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.track.ModelManifest;
import dev.keel.trainer.track.RunDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code model.pretrained} points at, recognised by its contents, and what it says about the
 * inputs it was trained on.
 *
 * @param kind what the path holds
 * @param path the path as configured
 * @param weights the model folder (Keel, DJL), the checkpoint folder or the TorchScript file
 * @param model the architecture (Keel sources: as recorded; DJL folders: as configured); null for TorchScript
 * @param classes the number of outputs of the pretrained model; 0 for TorchScript
 * @param inputShape one input's shape as the model was trained on it, or null when not recorded
 * @param normalize per-channel {@code [[means], [stds]]} the model was trained with, or null when not recorded
 */
public record PretrainedSource(Kind kind, String path, Path weights, ModelConfig model, int classes,
        List<Long> inputShape, ArrayNode normalize) {

    /** The formats Keel starts from. */
    public enum Kind {
        KEEL_RUN("Keel run"), KEEL_CHECKPOINT("Keel checkpoint"), DJL_MODEL("DJL model"), TORCHSCRIPT("TorchScript");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    static final String KEEL_MODEL_JSON = "keel-model.json";

    /**
     * Recognises {@code model.pretrained}.
     *
     * @param configured the model section, which describes the architecture of a plain DJL model folder
     * @param source the config file, for messages
     * @throws ConfigException naming the path and what was expected when it holds none of the formats
     */
    public static PretrainedSource locate(ModelConfig configured, String source) {
        String setting = configured.pretrained();
        Path path = Path.of(setting);
        String where = source + ": model.pretrained " + setting;
        if (!Files.exists(path)) {
            throw new ConfigException(where + ": not found (expected a Keel run directory or checkpoint, a DJL model"
                    + " folder, or a TorchScript .pt file)");
        }
        if (Files.isRegularFile(path)) {
            if (!isZip(path)) {
                throw new ConfigException(where + ": not a TorchScript file (torch.jit.save writes a zip archive;"
                        + " this file is not one). Export the model with torch.jit.script(model).save(...)");
            }
            return new PretrainedSource(Kind.TORCHSCRIPT, setting, path, null, 0, null, null);
        }
        if (Files.isRegularFile(path.resolve("model").resolve(KEEL_MODEL_JSON))) {
            return keelModel(Kind.KEEL_RUN, setting, path.resolve("model"), where);
        }
        if (Files.isRegularFile(path.resolve(KEEL_MODEL_JSON))) {
            return keelModel(Kind.KEEL_RUN, setting, path, where);
        }
        if (Files.isRegularFile(path.resolve("weights.ndlist"))) {
            return checkpoint(setting, path, where);
        }
        if (Files.isRegularFile(path.resolve("config.yaml")) && Files.isDirectory(path.resolve("checkpoints"))) {
            throw new ConfigException(where + ": a Keel run that has not finished (no model/" + KEEL_MODEL_JSON
                    + "); expected a finished run, or one of its checkpoints: " + path.resolve("checkpoints")
                    + "/step-...");
        }
        if (hasParams(path)) {
            Path synset = path.resolve("synset.txt");
            if (!Files.isRegularFile(synset)) {
                throw new ConfigException(where + ": a DJL model folder without synset.txt; expected one class name"
                        + " per line there, so that Keel can build the network (model.arch ...) it was saved from");
            }
            try {
                int classes = (int) Files.readAllLines(synset).stream().filter(l -> !l.isBlank()).count();
                return new PretrainedSource(Kind.DJL_MODEL, setting, path, configured, classes, null, null);
            } catch (IOException e) {
                throw new ConfigException(where + ": cannot read synset.txt: " + e.getMessage());
            }
        }
        throw new ConfigException(where + ": holds no model Keel can start from (expected a Keel run directory with"
                + " model/" + KEEL_MODEL_JSON + ", a checkpoint folder with weights.ndlist, a DJL model folder with"
                + " *.params and synset.txt, or a TorchScript .pt file)");
    }

    /** A model Keel saved: keel-model.json says its architecture, input shape, classes and normalisation. */
    private static PretrainedSource keelModel(Kind kind, String setting, Path modelDir, String where) {
        // A damaged model must not start a run; one saved before manifests is taken as it is.
        ModelManifest.verify(modelDir);
        JsonNode description = readJson(modelDir.resolve(KEEL_MODEL_JSON), where);
        if (description.has("transfer")) {
            throw new ConfigException(where + ": this model was itself fine-tuned (from "
                    + description.path("transfer").path("pretrained").asText() + "); starting from a fine-tuned"
                    + " model is not supported yet: expected a model Keel trained from scratch, or a TorchScript file");
        }
        return new PretrainedSource(kind, setting, modelDir, model(description.get("model"), where),
                description.path("classes").size(), shape(description.get("input_shape")), normalize(description));
    }

    /** A checkpoint: the run's config.yaml says the architecture, provenance.json the inputs. */
    private static PretrainedSource checkpoint(String setting, Path checkpoint, String where) {
        Path run = checkpoint.toAbsolutePath().getParent().getParent();
        Path config = run.resolve("config.yaml");
        Path provenance = run.resolve("provenance.json");
        if (!Files.isRegularFile(config) || !Files.isRegularFile(provenance)) {
            throw new ConfigException(where + ": a checkpoint outside its run directory (expected "
                    + config + " and provenance.json beside checkpoints/)");
        }
        ModelConfig model;
        try {
            model = ConfigLoader.load(config, List.of()).model();
        } catch (ConfigException e) {
            throw new ConfigException(where + ": its run's config.yaml cannot be read: " + e.getMessage());
        }
        if (model.pretrained() != null) {
            throw new ConfigException(where + ": a checkpoint of a fine-tuning run (from " + model.pretrained()
                    + "); starting from a fine-tuned model is not supported yet");
        }
        JsonNode input = readJson(provenance, where).get("model_input");
        if (input == null) {
            throw new ConfigException(where + ": its run's provenance.json does not record the model's inputs"
                    + " (a run of an older Keel); expected a checkpoint of a run with provenance.json's model_input");
        }
        return new PretrainedSource(Kind.KEEL_CHECKPOINT, setting, checkpoint, model, input.path("classes").size(),
                shape(input.get("input_shape")), normalize(input));
    }

    private static ModelConfig model(JsonNode node, String where) {
        try {
            return RunDirectory.JSON.treeToValue(node, ModelConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(where + ": keel-model.json's model section cannot be read: " + e.getMessage());
        }
    }

    private static List<Long> shape(JsonNode node) {
        if (node == null || !node.isArray()) {
            return null;
        }
        return Stream.iterate(0, i -> i < node.size(), i -> i + 1).map(i -> node.get(i).asLong()).toList();
    }

    private static ArrayNode normalize(JsonNode description) {
        JsonNode mean = description.get("normalize_mean");
        JsonNode std = description.get("normalize_std");
        if (mean == null || std == null || !mean.isArray() || !std.isArray()) {
            return null;
        }
        ArrayNode pair = RunDirectory.JSON.createArrayNode();
        pair.add(mean.deepCopy());
        pair.add(std.deepCopy());
        return pair;
    }

    private static JsonNode readJson(Path file, String where) {
        try {
            return RunDirectory.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read " + file.getFileName() + ": " + e.getMessage());
        }
    }

    private static boolean hasParams(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".params"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isZip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        } catch (IOException e) {
            return false;
        }
    }
}
