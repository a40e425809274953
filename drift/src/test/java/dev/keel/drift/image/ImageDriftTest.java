package dev.keel.drift.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.datasets.BatchSource;
import dev.keel.datasets.DataException;
import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.drift.DriftFixtures;
import dev.keel.drift.prediction.ModelInputs;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.data.DataPreparation;
import dev.keel.trainer.predict.TrainedModel;
import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image drift on a small cnn trained on the bundled sample: darkened images drift, like images do not. */
class ImageDriftTest {
    @TempDir
    static Path dir;
    static TrainedModel model;
    static BatchSource reference;
    static DriftFixtures.Sample test;

    @BeforeAll
    static void train() throws Exception {
        Path images = DriftFixtures.imageDataset(dir.resolve("images"), 40);
        Path run = DriftFixtures.train(dir.resolve("run"), "{format: image-folder, path: " + images
                + ", batch_size: 16}", "{arch: cnn, channels: [8], hidden: [16]}", 2, "");
        model = TrainedModel.open(run, Device.cpu(), warning -> {});
        reference = DriftFixtures.prepared(run).train();
        test = DriftFixtures.sample("t10k");
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static ImageDriftOptions options(long seed) {
        return ImageDriftOptions.defaults().withSamplePerSide(200).withSeed(seed);
    }

    @Test
    void darkenedImagesDriftInPixelsAndEmbeddings() throws Exception {
        Path dark = DriftFixtures.classFolders(dir.resolve("dark"), test, 0, 30, p -> p / 2);
        ImageDriftResult result = ImageDrift.measure(model, reference, dark, options(0));
        assertEquals(300, result.newItems());
        assertTrue(result.newLabelled());
        assertEquals(16, result.embeddingWidth());
        ChannelStatistics gray = result.channels().get(0);
        assertEquals(gray.referenceMean() / 2, gray.newMean(), 0.03, "half as bright");
        assertTrue(result.brightness().drift(), "KS p = " + result.brightness().pValue());
        assertTrue(result.brightness().statistic() > 0.3);
        assertEquals(reference.itemCount(), result.brightness().referenceItems());
        assertTrue(result.mmd().drift(), "MMD p = " + result.mmd().pValue() + ", AUC " + result.domainClassifier().auc());
        assertEquals(200, result.mmd().referenceItems());
        assertEquals(200, result.mmd().newItems());
        assertTrue(result.drift());
        assertTrue(result.domainClassifier().auc() > 0.55, "AUC " + result.domainClassifier().auc());
        assertEquals(Map.of("28x28", 300), result.newSizes().originalSizes());
        assertEquals(0, result.newSizes().resized());
    }

    @Test
    void imagesLikeTheTrainingImagesRarelyDrift() throws Exception {
        Path like = DriftFixtures.classFolders(dir.resolve("like"), test, 0, 30, p -> p);
        int small = 0;
        for (long seed = 0; seed < 5; seed++) {
            ImageDriftResult result = ImageDrift.measure(model, reference, like, options(seed));
            if (result.mmd().pValue() < 0.05) {
                small++;
            }
        }
        assertTrue(small <= 1, small + " of 5 seeds found drift in images like the training images");
    }

    @Test
    void imagesOfAnotherSizeAndColourAreSquishedAndCounted() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("colour"));
        for (int i = 0; i < 6; i++) {
            BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
            for (int x = 0; x < 40; x++) {
                for (int y = 0; y < 30; y++) {
                    image.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | (i * 40));
                }
            }
            ImageIO.write(image, "png", folder.resolve("image" + i + ".png").toFile());
        }
        ImageDriftResult result = ImageDrift.measure(model, reference, folder, options(0));
        assertFalse(result.newLabelled());
        assertEquals(Map.of("40x30", 6), result.newSizes().originalSizes());
        assertEquals(6, result.newSizes().resized());
        assertEquals(28, result.newSizes().modelSize());
        assertEquals(1, result.newSizes().modelChannels());
    }

    @Test
    void theResultIsPlainJsonWithEveryNumberNamed() throws Exception {
        Path dark = DriftFixtures.classFolders(dir.resolve("json"), test, 0, 3, p -> p / 2);
        ImageDriftResult result = ImageDrift.measure(model, reference, dark, options(0));
        JsonNode json = new ObjectMapper().valueToTree(result);
        // Snake case, as every JSON file of Keel's, whatever mapper writes it.
        assertEquals(result.mmd().pValue(), json.path("mmd").path("p_value").asDouble());
        assertEquals(result.brightness().statistic(), json.path("brightness").path("statistic").asDouble());
        assertEquals(result.domainClassifier().auc(), json.path("domain_classifier").path("auc").asDouble());
        assertEquals(result.channels().get(0).newStd(), json.path("channels").path(0).path("new_std").asDouble());
        String html = ImageDriftSection.html(result);
        assertTrue(html.contains("data:image/png;base64,"), "the chart is inlined");
        assertTrue(html.contains("Kolmogorov-Smirnov"));
    }

    @Test
    void theReferenceIsTheTrainingImagesNotTheirAugmentedBatches() throws Exception {
        Path images = DriftFixtures.imageDataset(dir.resolve("flip-images"), 3);
        Path run = DriftFixtures.train(dir.resolve("flip-run"), "{format: image-folder, path: " + images
                + ", batch_size: 8, augment: {flip: 1.0}}", "{arch: mlp, hidden: [4]}", 1, "");
        RunConfig config = ConfigLoader.load(run.resolve("config.yaml"), List.of());
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        BatchSource flipped = DataPreparation.prepare(config.data(), config.seed(), new DatasetResolver(), quiet,
                false).train();
        BatchSource plain = DataPreparation.prepare(ImageDrift.referenceData(config.data()), config.seed(),
                new DatasetResolver(), quiet, false).train();
        assertEquals(flipped.itemCount(), plain.itemCount());
        float[][] a = ModelInputs.of(flipped, model.manager()).inputs();
        float[][] b = ModelInputs.of(plain, model.manager()).inputs();
        for (int i = 0; i < a.length; i++) {
            for (int row = 0; row < 28; row++) {
                for (int col = 0; col < 28; col++) {
                    assertEquals(a[i][row * 28 + col], b[i][row * 28 + 27 - col], 1e-6,
                            "the augmented batch is the mirror image of the reference's");
                }
            }
        }
    }

    @Test
    void anEmptyFolderIsRefusedByName() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        DataException e = assertThrows(DataException.class,
                () -> ImageDrift.measure(model, reference, empty, options(0)));
        assertTrue(e.getMessage().startsWith(empty + ": holds no image files"), e.getMessage());
    }

    @Test
    void aSubfolderThatNamesNoClassIsRefusedByName() throws Exception {
        Path folder = dir.resolve("unknown");
        DriftFixtures.classFolders(folder, test, 0, 1, p -> p);
        Files.createDirectories(folder.resolve(".thumbnails")); // hidden: passed over
        Files.move(folder.resolve("class-3"), folder.resolve("shoes"));
        DataException e = assertThrows(DataException.class,
                () -> ImageDrift.measure(model, reference, folder, options(0)));
        assertTrue(e.getMessage().startsWith(folder.resolve("shoes") + ": a class subfolder, but the model has no"
                + " class \"shoes\""), e.getMessage());
    }

    @Test
    void aFileThatIsNoImageIsRefusedByName() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(folder.resolve("a.png"), "not a picture");
        DataException e = assertThrows(DataException.class,
                () -> ImageDrift.measure(model, reference, folder, options(0)));
        assertTrue(e.getMessage().startsWith(folder.resolve("a.png").toString()), e.getMessage());
    }

    @Test
    void aTableModelIsRefused() throws Exception {
        Path table = DriftFixtures.table(dir.resolve("t.csv"), 60, 1);
        Path run = DriftFixtures.train(dir.resolve("table-run"), "{format: csv, path: " + table
                + ", label_column: label}", "{arch: tabular-mlp, hidden: [4]}", 1, "");
        try (TrainedModel tableModel = TrainedModel.open(run, Device.cpu(), warning -> {})) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ImageDrift.measure(tableModel, reference, dir, options(0)));
            assertTrue(e.getMessage().contains("takes table rows"), e.getMessage());
        }
    }
}
