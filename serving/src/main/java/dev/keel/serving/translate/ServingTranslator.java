package dev.keel.serving.translate;

import ai.djl.modality.Classifications;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.modality.cv.BufferedImageFactory;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDList;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.keel.serving.model.KeelModelFile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * djl-serving's request and response for a Keel model: an image file's bytes (PNG, JPEG, BMP, GIF)
 * for an image model, a JSON object of column name -> value for a table model; the answer is JSON,
 * every class with its probability, most probable first.
 */
public final class ServingTranslator implements Translator<Input, Output> {
    private final KeelModelFile model;

    public ServingTranslator(KeelModelFile model) {
        this.model = model;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Input input) throws TranslateException {
        byte[] body = input.getData().getAsBytes();
        float[] values;
        if (model.takesImages()) {
            Image image;
            try {
                image = new BufferedImageFactory().fromInputStream(new ByteArrayInputStream(body));
            } catch (IOException e) {
                throw new TranslateException("the request is not an image ImageIO can read (PNG, JPEG, BMP or GIF)",
                        e);
            }
            values = ImageClassifier.floats(model, (BufferedImage) image.getWrappedImage());
        } else {
            try {
                values = model.tableTransform().apply(row(input.getData().getAsString()));
            } catch (IllegalArgumentException | JsonParseException | IllegalStateException e) {
                throw new TranslateException("the request is not a JSON object of column -> value that fits the"
                        + " model: " + e.getMessage(), e);
            }
        }
        return new NDList(ctx.getNDManager().create(values, model.inputShape()));
    }

    @Override
    public Output processOutput(TranslatorContext ctx, NDList list) {
        Classifications classifications = Outputs.classifications(model, list.singletonOrThrow().toFloatArray());
        Output output = new Output();
        output.addProperty("Content-Type", "application/json");
        output.add(classifications.toJson());
        return output;
    }

    private static Map<String, String> row(String json) {
        Map<String, String> row = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> field : JsonParser.parseString(json).getAsJsonObject().entrySet()) {
            JsonElement value = field.getValue();
            row.put(field.getKey(), value.isJsonNull() ? null : value.getAsString());
        }
        return row;
    }
}
