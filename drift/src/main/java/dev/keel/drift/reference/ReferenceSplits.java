package dev.keel.drift.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.datasets.DataException;
import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.drift.image.ImageDrift;
import dev.keel.trainer.config.DataConfig;
import dev.keel.trainer.data.DataPreparation;
import dev.keel.trainer.data.ModelPreprocessing;
import dev.keel.trainer.data.PreparedData;
import dev.keel.trainer.predict.TrainedModel;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.Map;

/**
 * The reference run's splits rebuilt for its model, as training built them (same config, seed and
 * split; augmentation off; a table encoded and images normalised as the model was trained), and
 * proved to come from the data the run trained on: every SHA-256 fingerprint provenance.json
 * recorded must be the data's today.
 */
public final class ReferenceSplits {
    private ReferenceSplits() {}

    /**
     * The run's train, validation and test splits, prepared for {@code model}.
     *
     * @throws DataException when the data is gone, or differs from what the run trained on
     */
    public static PreparedData prepare(ReferenceRun run, TrainedModel model) {
        DataConfig data = ImageDrift.referenceData(run.config().data());
        if (model.normalization() != null) {
            data = data.withNormalize(model.normalizeSetting());
        }
        PreparedData prepared;
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
            prepared = DataPreparation.prepare(data, run.config().seed(), new DatasetResolver(), quiet, false,
                    new ModelPreprocessing(model.tableTransform(), model.takesImages() ? model.classes() : null,
                            model.classes()));
        }
        requireUnchanged(run, prepared.provenance());
        return prepared;
    }

    /** Every fingerprint the run recorded, compared with the one the data has now. */
    static void requireUnchanged(ReferenceRun run, JsonNode now) {
        Iterator<Map.Entry<String, JsonNode>> recorded = run.dataset().fields();
        while (recorded.hasNext()) {
            Map.Entry<String, JsonNode> field = recorded.next();
            if (!field.getKey().endsWith("sha256")) {
                continue;
            }
            String today = now.path(field.getKey()).asText();
            if (!today.equals(field.getValue().asText())) {
                throw new DataException(run.dataset().path("location").asText(run.dataset().path("name").asText())
                        + ": the data " + run.name() + " trained on has changed since (" + field.getKey() + " was "
                        + field.getValue().asText() + ", is " + (today.isEmpty() ? "gone" : today) + "), so its"
                        + " training split cannot be rebuilt: compare with a run trained on this data");
            }
        }
    }
}
