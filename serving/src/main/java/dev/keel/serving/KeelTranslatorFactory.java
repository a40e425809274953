package dev.keel.serving;

import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.modality.cv.Image;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import dev.keel.serving.model.KeelModelFile;
import dev.keel.serving.translate.ImageClassifier;
import dev.keel.serving.translate.RowClassifier;
import dev.keel.serving.translate.ServingTranslator;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;

/**
 * The translators of an exported Keel model, with the preprocessing it was trained with, read from
 * {@code keel-model.json} in the model folder: {@link Image} -> {@link Classifications} for an image
 * model, a row as a {@link Map} of column name -> value -> {@link Classifications} for a table model,
 * and {@link Input} -> {@link Output} (image bytes or a JSON row in, JSON out) for djl-serving.
 * Probabilities are those {@code keel predict} gives.
 */
public class KeelTranslatorFactory implements TranslatorFactory {
    private static final Set<Pair<Type, Type>> SUPPORTED = Set.of(new Pair<>(Image.class, Classifications.class),
            new Pair<>(Map.class, Classifications.class), new Pair<>(Input.class, Output.class));

    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return SUPPORTED;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        if (!isSupported(input, output)) {
            throw new TranslateException("a Keel model translates Image or Map (a table row) to Classifications, and"
                    + " Input to Output; not " + input.getName() + " to " + output.getName());
        }
        KeelModelFile description;
        try {
            description = KeelModelFile.read(model.getModelPath());
        } catch (IOException e) {
            throw new TranslateException(e.getMessage(), e);
        }
        if (input == Input.class) {
            return (Translator<I, O>) new ServingTranslator(description);
        }
        if (input == Image.class && !description.takesImages() || input == Map.class && description.takesImages()) {
            throw new TranslateException("this Keel model takes " + (description.takesImages() ? "images (Image)"
                    : "table rows (Map of column name -> value)") + ", not " + input.getSimpleName());
        }
        return (Translator<I, O>) (input == Image.class ? new ImageClassifier(description)
                : new RowClassifier(description));
    }
}
