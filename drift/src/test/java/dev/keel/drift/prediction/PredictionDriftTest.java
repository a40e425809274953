package dev.keel.drift.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.drift.DriftFixtures;
import dev.keel.trainer.data.PreparedData;
import dev.keel.trainer.predict.TrainedModel;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prediction drift of a small table model: inputs moved to one side shift its predictions there. */
class PredictionDriftTest {
    @TempDir
    static Path dir;
    static TrainedModel model;
    static ModelInputs valid;
    static ModelInputs test;

    @BeforeAll
    static void train() throws Exception {
        Path table = DriftFixtures.table(dir.resolve("table.csv"), 600, 9);
        Path run = DriftFixtures.train(dir.resolve("run"), "{format: csv, path: " + table
                + ", label_column: label, batch_size: 32, valid_fraction: 0.3}",
                "{arch: tabular-mlp, hidden: [16], dropout: 0}", 8, "optimizer: {lr: 0.01}\n");
        model = TrainedModel.open(run, Device.cpu(), warning -> {});
        PreparedData data = DriftFixtures.prepared(run);
        valid = ModelInputs.of(data.valid(), model.manager());
        test = ModelInputs.of(data.test(), model.manager());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** The inputs with every encoded feature moved by {@code shift} standard deviations. */
    private static ModelInputs shifted(ModelInputs inputs, float shift, boolean keepLabels) {
        float[][] moved = new float[inputs.size()][];
        for (int i = 0; i < moved.length; i++) {
            moved[i] = inputs.inputs()[i].clone();
            for (int d = 0; d < moved[i].length; d++) {
                moved[i][d] += shift;
            }
        }
        return new ModelInputs(moved, keepLabels ? inputs.labels() : null);
    }

    @Test
    void inputsMovedToOneSideShiftThePredictionsAndTheAccuracy() {
        PredictionDriftResult result = PredictionDrift.measure(model, valid, shifted(test, 3f, true), 0.8,
                PredictionDriftOptions.defaults());
        int yes = model.classes().indexOf("yes");
        assertTrue(result.classes().shares().get(yes).newShare() > 0.95, "nearly everything is yes now");
        assertTrue(result.drift(), "chi-squared p = " + result.classes().pValue());
        assertTrue(result.classes().jensenShannonDistance() > 0.3);
        assertTrue(result.referenceAccuracy() > 0.75, "the model learned the table: " + result.referenceAccuracy());
        assertTrue(result.newAccuracy() < 0.7, "wrong on the half that is no: " + result.newAccuracy());
        assertTrue(result.newLabelled());
        AccuracyEstimate estimate = result.estimate();
        assertTrue(estimate.lower() <= estimate.estimatedAccuracy() && estimate.estimatedAccuracy() <= estimate.upper());
        assertEquals(valid.size(), estimate.calibrationItems());
    }

    @Test
    void inputsLikeTheValidationSplitDoNotShiftAndTheEstimateIsClose() {
        PredictionDriftResult result = PredictionDrift.measure(model, valid, test, 0.8,
                PredictionDriftOptions.defaults());
        assertFalse(result.drift(), "chi-squared p = " + result.classes().pValue());
        AccuracyEstimate estimate = result.estimate();
        assertEquals(result.newAccuracy(), estimate.estimatedAccuracy(), 0.08,
                "the estimate is near the real accuracy when nothing moved");
        assertTrue(result.confidence().referenceShareBelow() >= 0 && result.confidence().newShareBelow() <= 1);
    }

    @Test
    void withoutLabelsThereIsAnEstimateButNoAccuracy() {
        PredictionDriftResult result = PredictionDrift.measure(model, valid, shifted(test, 0f, false), 0.8,
                PredictionDriftOptions.defaults());
        assertFalse(result.newLabelled());
        assertNull(result.newAccuracy());
        assertTrue(result.estimate().estimatedAccuracy() > 0.5);
        String html = PredictionDriftSection.html(result);
        assertTrue(html.contains("not known (no labels)"));
        JsonNode json = new ObjectMapper().valueToTree(result);
        assertTrue(json.path("new_accuracy").isNull(), "written as null without labels");
        assertEquals(result.estimate().estimatedAccuracy(), json.path("estimate").path("estimated_accuracy")
                .asDouble());
        assertEquals(2, html.split("data:image/png;base64,", -1).length - 1, "two charts inlined");
    }
}
