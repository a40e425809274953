package dev.keel.serving.translate;

import ai.djl.modality.Classifications;
import ai.djl.ndarray.NDList;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.keel.serving.model.KeelModelFile;
import java.util.Map;

/**
 * Classifies one table row, given as column name -> value (values as a CSV file holds them: text,
 * or numbers; null or absent is a missing value), with a Keel table model: encoded by the model's
 * fitted table transform, as {@code keel predict} encodes a CSV row.
 */
@SuppressWarnings("rawtypes") // DJL's Criteria takes the input class, which for a Map is the raw type.
public final class RowClassifier implements Translator<Map, Classifications> {
    private final KeelModelFile model;

    public RowClassifier(KeelModelFile model) {
        this.model = model;
    }

    @Override
    @SuppressWarnings("unchecked")
    public NDList processInput(TranslatorContext ctx, Map input) throws TranslateException {
        float[] features;
        try {
            features = model.tableTransform().apply((Map<String, ?>) input);
        } catch (IllegalArgumentException e) {
            throw new TranslateException("the row does not fit the model: " + e.getMessage(), e);
        }
        return new NDList(ctx.getNDManager().create(features, model.inputShape()));
    }

    @Override
    public Classifications processOutput(TranslatorContext ctx, NDList list) {
        return Outputs.classifications(model, list.singletonOrThrow().toFloatArray());
    }
}
