package dev.keel.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.api.Keel;
import dev.keel.trainer.run.RunOutcome;
import dev.keel.trainer.session.RunOptions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keel compare} on image models and a folder of class subfolders, read whole with each model's statistics. */
class ImageCompareTest {
    @TempDir
    Path dir;

    /** Writes {@code perClass} 8x8 grayscale images of each class: {@code dark} and {@code light}, with noise. */
    private static Path classFolders(Path root, int perClass, long seed) throws IOException {
        Random random = new Random(seed);
        for (String name : List.of("dark", "light")) {
            Path folder = Files.createDirectories(root.resolve(name));
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        int level = (name.equals("dark") ? 70 : 150) + random.nextInt(60);
                        image.getRaster().setSample(x, y, 0, level);
                    }
                }
                ImageIO.write(image, "png", folder.resolve(String.format("%03d.png", i)).toFile());
            }
        }
        return root;
    }

    private Path train(String name, Path images, int epochs) throws IOException {
        Path config = Files.writeString(dir.resolve(name + ".yaml"), """
                name: %s
                seed: 3
                device: cpu
                data: {format: image-folder, path: %s, image_size: 8, channels: 1, batch_size: 8}
                model: {arch: mlp, hidden: [8]}
                train: {epochs: %d}
                """.formatted(name, images, epochs));
        Path runDir = dir.resolve("runs").resolve(name);
        RunOutcome outcome = Keel.train(config, List.of(), RunOptions.defaults().withRunDir(runDir)
                .withOut(new PrintStream(OutputStream.nullOutputStream()), false));
        assertEquals(0, outcome.exitCode(), "the image run did not finish");
        return runDir;
    }

    @Test
    void imageModelsAreComparedOnEveryImageOfAFolderOfClasses() throws IOException {
        Path images = dir.resolve("images");
        classFolders(images.resolve("train"), 20, 1);
        Path champion = train("one", images, 1);
        Path challenger = train("two", images, 3);
        Path labelled = classFolders(dir.resolve("labelled"), 15, 2);
        Path json = dir.resolve("images.json");

        Cli.Result result = Cli.keel(dir.resolve("registry.db"), "compare", champion.toString(),
                challenger.toString(), "--data", labelled.toString(), "--out", json.toString());
        assertEquals(0, result.exit(), result.all());
        JsonNode written = new ObjectMapper().readTree(json.toFile());
        assertEquals(30, written.path("data").path("items").asInt());
        for (JsonNode row : written.path("challenger").path("per_class")) {
            assertEquals(15, row.path("support").asInt(), row.toString());
        }
        assertTrue(written.path("data").path("fingerprint").asText().length() > 0, written.toString());
        try (var left = Files.list(labelled)) {
            assertEquals(List.of("dark", "light"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "the labelled folder is read, never changed");
        }
    }

    @Test
    void anImageModelAndATableModelAreRefused() throws IOException {
        Path images = dir.resolve("images");
        classFolders(images.resolve("train"), 10, 1);
        Path imageModel = train("one", images, 1);
        Path tableModel = ComparedRuns.shuffled(dir.resolve("table"));
        Cli.Result result = Cli.keel(dir.resolve("registry.db"), "compare", imageModel.toString(),
                tableModel.toString(), "--data", images.resolve("train").toString());
        assertEquals(2, result.exit(), result.all());
        assertTrue(result.err().startsWith("keel: input kinds differ: champion") && result.err().contains("takes"
                + " images, challenger"), result.all());
        assertEquals(1, result.err().strip().lines().count(), result.all());
    }

    @Test
    void aCsvFileForImageModelsIsRefused() throws IOException {
        Path images = dir.resolve("images");
        classFolders(images.resolve("train"), 10, 1);
        Path model = train("one", images, 1);
        Path csv = ComparedRuns.table(dir.resolve("rows.csv"), 20, 1, false, false);
        Cli.Result result = Cli.keel(dir.resolve("registry.db"), "compare", model.toString(), model.toString(),
                "--data", csv.toString());
        assertEquals(2, result.exit(), result.all());
        assertTrue(result.err().contains("a CSV file, but champion") && result.err().contains("takes images"),
                result.all());
    }
}
