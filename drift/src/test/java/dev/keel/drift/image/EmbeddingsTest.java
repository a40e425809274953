package dev.keel.drift.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.keel.drift.DriftFixtures;
import dev.keel.drift.prediction.ModelInputs;
import dev.keel.trainer.data.PreparedData;
import dev.keel.trainer.predict.TrainedModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The penultimate-layer embedding is as wide as the network's last hidden layer, whatever its kind. */
class EmbeddingsTest {
    @TempDir
    static Path dir;
    static Path images;

    @BeforeAll
    static void data() throws Exception {
        images = DriftFixtures.imageDataset(dir.resolve("images"), 8);
    }

    private static void assertWidth(Path runDir, int width) {
        try (TrainedModel model = TrainedModel.open(runDir, ai.djl.Device.cpu(), warning -> {})) {
            PreparedData data = DriftFixtures.prepared(runDir);
            ModelInputs valid = ModelInputs.of(data.test(), model.manager());
            List<float[]> inputs = Arrays.asList(valid.inputs()).subList(0, 5);
            Shape shape = model.inputShape();
            double[][] embeddings = Embeddings.of(model.block(), model.manager(), shape, inputs, 2);
            assertEquals(5, embeddings.length);
            for (double[] row : embeddings) {
                assertEquals(width, row.length);
                assertTrue(Arrays.stream(row).allMatch(Double::isFinite));
            }
        }
    }

    @Test
    void aCnnsEmbeddingIsItsLastHiddenLayer() throws Exception {
        Path run = DriftFixtures.train(dir.resolve("cnn"), "{format: image-folder, path: " + images
                + ", batch_size: 16}", "{arch: cnn, channels: [4], hidden: [16, 8]}", 1, "");
        assertWidth(run, 8);
    }

    @Test
    void anMlpsEmbeddingIsItsLastHiddenLayer() throws Exception {
        Path run = DriftFixtures.train(dir.resolve("mlp"), "{format: image-folder, path: " + images
                + ", batch_size: 16}", "{arch: mlp, hidden: [12], dropout: 0.2}", 1, "");
        assertWidth(run, 12);
    }

    @Test
    void aTabularMlpsEmbeddingIsItsLastHiddenLayer() throws Exception {
        Path table = DriftFixtures.table(dir.resolve("table.csv"), 120, 4);
        Path run = DriftFixtures.train(dir.resolve("tabular"), "{format: csv, path: " + table
                + ", label_column: label, batch_size: 32}", "{arch: tabular-mlp, hidden: [16, 6], dropout: 0}", 1, "");
        assertWidth(run, 6);
    }

    @Test
    void aFineTunedModelsEmbeddingIsWhatItsHeadReads() throws Exception {
        Path pretrained = DriftFixtures.train(dir.resolve("pretrained"), "{format: image-folder, path: " + images
                + ", batch_size: 16}", "{arch: cnn, channels: [4], hidden: [10]}", 1, "");
        Path run = DriftFixtures.train(dir.resolve("finetuned"), "{format: image-folder, path: " + images
                + ", batch_size: 16}", "{pretrained: " + pretrained + "}", 1, "finetune: {freeze_epochs: 1}\n");
        try (TrainedModel model = TrainedModel.open(run, ai.djl.Device.cpu(), warning -> {})) {
            assertEquals("TransferBlock", model.block().getClass().getSimpleName(), "a body and a new head");
        }
        assertWidth(run, 10);
    }
}
