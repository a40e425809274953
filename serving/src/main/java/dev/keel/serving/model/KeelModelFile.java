package dev.keel.serving.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.keel.serving.image.Normalization;
import dev.keel.serving.network.Architecture;
import dev.keel.serving.network.SavedNetwork;
import dev.keel.serving.table.TableTransform;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A model folder's {@code keel-model.json}, as a serving JVM reads it: the parameter file's prefix,
 * the network, one input's shape, the classes, and the preprocessing (an image model's
 * normalisation, a table model's transform).
 *
 * @param name the parameter file's prefix, {@code <name>-NNNN.params}
 * @param architecture the {@code model} section the network is built from
 * @param transfer the {@code transfer} section of a fine-tuned model; null for one trained from scratch
 * @param inputShape one input's shape: (channels, size, size) for images, (features) for rows
 * @param classes one name per output of the network
 * @param normalization the images' statistics; null for a table model
 * @param tableTransform the rows' encoding; null for an image model
 */
public record KeelModelFile(String name, Architecture architecture, JsonObject transfer, Shape inputShape,
        List<String> classes, Normalization normalization, TableTransform tableTransform) {
    /** The file's name in a model folder. */
    public static final String FILE_NAME = "keel-model.json";

    /**
     * Reads {@code keel-model.json} in {@code modelDir}.
     *
     * @throws IOException when it cannot be read or is not a Keel model's description, naming the file
     */
    public static KeelModelFile read(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": not found (a Keel model folder holds keel-model.json; export one with"
                    + " keel export)");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(JsonParser.parseReader(reader));
        } catch (JsonParseException | IllegalArgumentException | IllegalStateException
                | UnsupportedOperationException e) {
            throw new IOException(file + ": is not a Keel model's description (" + e.getMessage() + ")", e);
        }
    }

    private static KeelModelFile parse(JsonElement element) {
        if (!element.isJsonObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonObject json = element.getAsJsonObject();
        JsonObject model = required(json, "model").getAsJsonObject();
        Architecture architecture = new Architecture(required(model, "arch").getAsString(),
                integers(model.get("hidden")), integers(model.get("channels")), number(model, "dropout", 0),
                (int) number(model, "layers", 0), present(model, "cut") ? model.get("cut").getAsInt() : null);
        List<Integer> dims = integers(required(json, "input_shape"));
        if (dims.size() != 1 && dims.size() != 3) {
            throw new IllegalArgumentException("input_shape " + dims + " is not [features] or [channels, size, size]");
        }
        Shape inputShape = new Shape(dims.stream().mapToLong(Integer::longValue).toArray());
        List<String> classes = new ArrayList<>();
        required(json, "classes").getAsJsonArray().forEach(c -> classes.add(c.getAsString()));
        JsonObject transfer = present(json, "transfer") ? json.getAsJsonObject("transfer") : null;
        String name = present(json, "name") ? json.get("name").getAsString() : "model";
        if (dims.size() == 3) {
            Normalization normalization = Normalization.fromJson(json.get("normalize_mean"), json.get("normalize_std"));
            return new KeelModelFile(name, architecture, transfer, inputShape, List.copyOf(classes), normalization,
                    null);
        }
        if (!present(json, "table_transform")) {
            throw new IllegalArgumentException("a table model without table_transform");
        }
        TableTransform table = TableTransform.fromJson(json.get("table_transform"));
        return new KeelModelFile(name, architecture, transfer, inputShape, List.copyOf(classes), null, table);
    }

    /** Whether the model takes images (else table rows). */
    public boolean takesImages() {
        return inputShape.dimension() == 3;
    }

    /**
     * The network, before its weights are loaded.
     *
     * @param manager the model's manager, where a TorchScript body lives
     * @throws IllegalArgumentException when the description does not build a network
     */
    public Block network(NDManager manager) {
        return SavedNetwork.build(architecture, transfer, inputShape, classes.size(), manager);
    }

    private static JsonElement required(JsonObject json, String field) {
        if (!present(json, field)) {
            throw new IllegalArgumentException("no " + field);
        }
        return json.get(field);
    }

    private static boolean present(JsonObject json, String field) {
        return json.has(field) && !json.get(field).isJsonNull();
    }

    private static double number(JsonObject json, String field, double absent) {
        return present(json, field) ? json.get(field).getAsDouble() : absent;
    }

    private static List<Integer> integers(JsonElement array) {
        List<Integer> values = new ArrayList<>();
        if (array != null && !array.isJsonNull()) {
            for (JsonElement value : array.getAsJsonArray()) {
                values.add(value.getAsInt());
            }
        }
        return values;
    }
}
