package dev.keel.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keel drift} on a run trained on an image folder, through the command line: darkened images
 * are found (exit code 4) with every section in drift.json, and image input that cannot be used is
 * refused by name (exit code 2) before any report is written.
 */
class ImageDriftCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path images;
    static Path run;

    @BeforeAll
    static void train() throws IOException {
        images = DriftFixtures.imageDataset(dir.resolve("images"), 30);
        run = DriftFixtures.train(dir.resolve("run"), "{format: image-folder, path: " + images
                + ", batch_size: 16}", "{arch: cnn, channels: [8], hidden: [16]}", 2, "");
    }

    @Test
    void darkenedImagesDriftAndTheReportHasEverySection() throws IOException {
        Path darkened = DriftFixtures.classFolders(dir.resolve("darkened"), DriftFixtures.sample("t10k"), 0, 20,
                p -> p / 3);
        Path out = dir.resolve("darkened-report");
        Cli.Result result = Cli.keel(dir.resolve("registry.db"), "drift", run.toString(),
                darkened.toString(), "--out", out.toString(), "--seed", "7");
        assertEquals(4, result.exit(), result.all());
        assertTrue(result.out().startsWith("drift: images: embeddings drifted (MMD p "), result.all());
        JsonNode report = JSON.readTree(out.resolve("drift.json").toFile());
        JsonNode imageSection = report.path("sections").path("images");
        assertTrue(imageSection.path("drift").asBoolean(), imageSection.toString());
        assertEquals(200, imageSection.path("new_items").asInt());
        assertTrue(imageSection.path("brightness").path("new_mean").asDouble()
                < imageSection.path("brightness").path("reference_mean").asDouble() / 2, imageSection.toString());
        JsonNode predictions = report.path("sections").path("predictions");
        assertTrue(predictions.path("new_labelled").asBoolean(), "class subfolders named after the classes");
        assertTrue(predictions.path("new_accuracy").isNumber(), predictions.toString());
        assertEquals(7, report.path("seed").asInt());
        assertTrue(Files.readString(out.resolve("drift.html")).contains("Images"));
    }

    @Test
    void anEmptyFolderIsRefusedByName() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertRefused(empty, empty.toString());
    }

    @Test
    void imagesOfAnotherSizeAreRefusedUnlessResized() throws IOException {
        Path large = Files.createDirectories(dir.resolve("large"));
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(40, 30,
                java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 4; i++) {
            javax.imageio.ImageIO.write(image, "png", large.resolve(i + ".png").toFile());
        }
        assertRefused(large, large + ": 4 images are 40x30, not the 28x28 the model takes: give --resize");
        Path out = dir.resolve("resized-report");
        Cli.Result result = Cli.keel(dir.resolve("registry.db"), "drift", run.toString(),
                large.toString(), "--resize", "--out", out.toString());
        assertTrue(result.exit() == 0 || result.exit() == 4, result.all());
        JsonNode sizes = JSON.readTree(out.resolve("drift.json").toFile()).path("sections").path("images")
                .path("new_sizes");
        assertEquals(4, sizes.path("original_sizes").path("40x30").asInt(), sizes.toString());
    }

    @Test
    void imagesChangedSinceTrainingAreRefused() throws IOException {
        Path copy = dir.resolve("changed");
        Path changedImages = dir.resolve("changed-images");
        DriftFixtures.copyTree(run, copy);
        DriftFixtures.copyTree(images, changedImages);
        Path config = copy.resolve("config.yaml");
        Files.writeString(config, Files.readString(config).replace(images.toString(), changedImages.toString()));
        Path provenance = copy.resolve("provenance.json");
        Files.writeString(provenance, Files.readString(provenance).replace(images.toString(),
                changedImages.toString()));
        try (Stream<Path> files = Files.walk(changedImages.resolve("train"))) {
            Path first = files.filter(f -> f.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
            DriftFixtures.writeGray(new byte[28 * 28], p -> 255, first);
        }
        Path fresh = DriftFixtures.classFolders(dir.resolve("fresh"), DriftFixtures.sample("t10k"), 0, 5, p -> p);
        Path out = dir.resolve("changed-report");
        Cli.Result result = Cli.keel(dir.resolve("registry.db"), "drift", copy.toString(),
                fresh.toString(), "--out", out.toString());
        assertEquals(2, result.exit(), result.all());
        assertTrue(result.err().contains("has changed since"), result.all());
        assertEquals(1, result.err().lines().count(), "one line, no stack trace: " + result.all());
        assertFalse(Files.exists(out));
    }

    private static void assertRefused(Path newData, String named) {
        Path out = dir.resolve("refused-report");
        Cli.Result result = Cli.keel(dir.resolve("registry.db"), "drift", run.toString(),
                newData.toString(), "--out", out.toString());
        assertEquals(2, result.exit(), result.all());
        assertTrue(result.err().startsWith("keel: ") && result.err().contains(named), result.all());
        assertEquals(1, result.err().lines().count(), "one line, no stack trace: " + result.all());
        assertFalse(Files.exists(out), "no report for input that cannot be used");
    }
}
