package dev.keel.trainer.predict;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.serving.image.Normalization;
import dev.keel.serving.table.TableTransform;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.track.GsonTrees;
import dev.keel.trainer.track.RunDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * {@code model/keel-model.json} read and checked on its own terms before any weight is loaded: a
 * name, an architecture, classes, an input shape of one item, and the preprocessing that shape
 * needs (the normalisation of every channel of an image, the table transform of a row). Every
 * problem blames the file, so a hand-edited or truncated description is not mistaken for damaged
 * weights.
 *
 * @param file the file
 * @param name the parameter file's prefix, {@code model/<name>-NNNN.params}
 * @param architecture the config's {@code model} section the network was built from
 * @param transfer where a fine-tuned body came from; null for a model trained from scratch
 * @param inputShape one item's shape: (channels, height, width) or (features)
 * @param classes one name per output of the network
 * @param normalization the images' statistics; null for a table model
 * @param tableTransform the rows' encoding; null for an image model
 */
record ModelDescriptionFile(Path file, String name, ModelConfig architecture, JsonNode transfer, Shape inputShape,
        List<String> classes, Normalization normalization, TableTransform tableTransform) {
    /** The largest {@code data.image_size} a config may ask for. */
    private static final long MAX_IMAGE_SIZE = 1024;

    /** Reads {@code file}, refusing a description a model cannot be loaded from. */
    static ModelDescriptionFile read(Path file) {
        JsonNode json;
        try {
            json = RunDirectory.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + TrainedModel.firstLine(e));
        }
        if (json == null || !json.isObject()) {
            throw new ConfigException(file + ": is not a JSON object (the saved model's description is damaged)");
        }
        List<String> classes = classes(file, json.path("classes"));
        Shape inputShape = inputShape(file, json.path("input_shape"));
        if (!json.path("model").isObject()) {
            throw new ConfigException(file + ": has no model section (written by an older Keel, or edited)");
        }
        ModelConfig architecture;
        try {
            architecture = RunDirectory.JSON.treeToValue(json.get("model"), ModelConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(file + ": its model section cannot be read: " + TrainedModel.firstLine(e));
        }
        ModelDescriptionFile description = new ModelDescriptionFile(file, json.path("name").asText("model"),
                architecture, json.get("transfer"), inputShape, classes, null, null);
        return description.withPreprocessing(json);
    }

    /** The error for a description that is not what its weights need. */
    ConfigException invalid(String problem) {
        return new ConfigException(file + ": " + problem + " (the saved model's description is damaged or edited)");
    }

    /** Whether the model takes images, whose shape has three dimensions. */
    boolean takesImages() {
        return inputShape.dimension() == 3;
    }

    private ModelDescriptionFile withPreprocessing(JsonNode json) {
        if (takesImages()) {
            if (!json.path("normalize_mean").isArray() || !json.path("normalize_std").isArray()) {
                throw invalid("an image model without normalize_mean and normalize_std");
            }
            Normalization normalization;
            try {
                normalization = Normalization.fromJson(GsonTrees.toGson(json.get("normalize_mean")),
                        GsonTrees.toGson(json.get("normalize_std")));
            } catch (IllegalArgumentException e) {
                throw invalid("normalize_mean and normalize_std: " + e.getMessage());
            }
            // The checks would build a blank image of this size: a damaged size must not take the memory.
            if (inputShape.get(1) != inputShape.get(2) || inputShape.get(0) != 1 && inputShape.get(0) != 3
                    || inputShape.get(1) > MAX_IMAGE_SIZE) {
                throw invalid("input_shape " + inputShape + " is not [1 or 3 channels, size, size] with a size up to "
                        + MAX_IMAGE_SIZE + ", the images Keel trains on");
            }
            if (normalization.mean().length != inputShape.get(0)) {
                throw invalid("normalize_mean has " + normalization.mean().length + " channels, input_shape "
                        + inputShape.get(0));
            }
            return new ModelDescriptionFile(file, name, architecture, transfer, inputShape, classes, normalization,
                    null);
        }
        if (!json.path("table_transform").isObject()) {
            throw invalid("a table model without table_transform");
        }
        TableTransform table;
        try {
            table = TableTransform.fromJson(GsonTrees.toGson(json.get("table_transform")));
        } catch (IllegalArgumentException e) {
            throw invalid("table_transform: " + e.getMessage());
        }
        if (table.featureNames().size() != inputShape.get(0)) {
            throw invalid("table_transform makes " + table.featureNames().size() + " features, input_shape says "
                    + inputShape.get(0));
        }
        return new ModelDescriptionFile(file, name, architecture, transfer, inputShape, classes, null, table);
    }

    private static List<String> classes(Path file, JsonNode node) {
        if (!node.isArray() || node.size() < 2) {
            throw new ConfigException(file + ": classes: expected a list of at least two class names, found "
                    + (node.isMissingNode() ? "none (written by an older Keel?)" : node));
        }
        List<String> classes = new ArrayList<>();
        for (JsonNode c : node) {
            if (!c.isTextual() && !c.isNumber()) {
                throw new ConfigException(file + ": classes: " + c + " is not a class name");
            }
            classes.add(c.asText());
        }
        if (new HashSet<>(classes).size() != classes.size()) {
            throw new ConfigException(file + ": classes: names a class twice: " + classes);
        }
        return List.copyOf(classes);
    }

    private static Shape inputShape(Path file, JsonNode node) {
        List<Long> dims = new ArrayList<>();
        node.forEach(d -> dims.add(d.canConvertToLong() && d.isIntegralNumber() ? d.asLong() : -1L));
        if (!node.isArray() || dims.size() != 1 && dims.size() != 3 || dims.stream().anyMatch(d -> d < 1)) {
            throw new ConfigException(file + ": input_shape: expected [features] or [channels, height, width] of"
                    + " positive integers, found " + (node.isMissingNode() ? "none (written by an older Keel?)" : node));
        }
        return new Shape(dims.stream().mapToLong(Long::longValue).toArray());
    }
}
