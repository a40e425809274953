package dev.keel.serving.translate;

import ai.djl.modality.Classifications;
import dev.keel.serving.model.KeelModelFile;
import java.util.ArrayList;
import java.util.List;

/** A Keel model's logits as DJL's classification output. */
final class Outputs {
    private Outputs() {}

    /**
     * Every class with its probability (the softmax of {@code logits} in double precision), all of
     * them shown by {@code topK()}.
     */
    static Classifications classifications(KeelModelFile model, float[] logits) {
        double[] p = Probabilities.softmax(logits);
        List<Double> probabilities = new ArrayList<>(p.length);
        for (double v : p) {
            probabilities.add(v);
        }
        Classifications classifications = new Classifications(model.classes(), probabilities);
        classifications.setTopK(p.length);
        return classifications;
    }
}
