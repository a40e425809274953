package dev.keel.trainer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.DeferredTranslatorFactory;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.trainer.api.Keel;
import dev.keel.trainer.cli.KeelCli;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.predict.Prediction;
import dev.keel.trainer.predict.Predictor;
import dev.keel.trainer.predict.TrainedModel;
import dev.keel.trainer.run.RunOutcome;
import dev.keel.trainer.session.RunOptions;
import dev.keel.trainer.track.RunDirectory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports runs Keel trained on its bundled Fashion-MNIST sample and on a small CSV table, loads
 * each export in a fresh JVM that has keel-serving, DJL and the PyTorch engine on its class path
 * but not Keel's trainer, and predicts there with plain DJL ({@code Criteria} and a
 * {@code Predictor}): the classes and probabilities are those {@code keel predict} gives, for 1,000
 * test images (a quickstart-like CNN, a fine-tune of it, a fine-tune of a TorchScript module) and
 * for the table's rows. djl-serving's request, an image file's bytes, is answered with the same
 * classes and probabilities.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlainDjlServingTest {
    private static final Path TORCHSCRIPT = Path.of("src/test/resources/dev/keel/trainer/transfer/fmnist5-features.pt");
    private static final String SAMPLE = "/dev/keel/datasets/fashion-mnist-sample/";
    private static final int IMAGES = 1000;
    private static final double TOLERANCE = 1e-6;

    @TempDir
    static Path temp;

    private DatasetResolver resolver;
    private Path cnn;
    private List<Path> images;
    private Path serveClasses;

    @BeforeAll
    void trainAndWriteImages() throws IOException {
        resolver = new DatasetResolver(name -> null, Map.of("fashion-mnist", temp.resolve("no-debian-package")));
        cnn = train("cnn", """
                name: cnn
                seed: 42
                device: cpu
                data: {dataset: fashion-mnist, batch_size: 128}
                model: {arch: cnn, channels: [24, 48], hidden: [128], dropout: 0.25}
                optimizer: {name: adamw, lr: 0.003, weight_decay: 0.01}
                schedule: {name: one-cycle}
                train: {epochs: 1}
                """);
        images = testImages(temp.resolve("images"));
        String source = new String(PlainDjlServingTest.class.getResourceAsStream("ServeWithPlainDjl.java")
                .readAllBytes(), StandardCharsets.UTF_8);
        serveClasses = ServingJvm.compile("ServeWithPlainDjl", source, Files.createDirectories(temp.resolve("serve")));
    }

    @Test
    void aCnnExportedAsAZipPredictsWhatKeelPredicts() throws Exception {
        Path zip = export(cnn, temp.resolve("exports/cnn.zip"));
        assertServingMatchesKeel(cnn, zip);
    }

    @Test
    void aFineTunedCnnExportedAsAFolderPredictsWhatKeelPredicts() throws Exception {
        Path fineTuned = train("finetune", """
                name: finetune
                seed: 7
                device: cpu
                data: {dataset: fashion-mnist, batch_size: 128}
                model: {pretrained: %s}
                optimizer: {lr: 0.003}
                finetune: {freeze_epochs: 1}
                train: {epochs: 1}
                """.formatted(cnn.toAbsolutePath()));
        assertServingMatchesKeel(fineTuned, export(fineTuned, temp.resolve("exports/finetune")));
    }

    @Test
    void aFineTunedTorchScriptModuleExportedAsAFolderPredictsWhatKeelPredicts() throws Exception {
        Path torchScript = train("torchscript", """
                name: torchscript
                seed: 4
                device: cpu
                data: {dataset: fashion-mnist, normalize: [0.2860, 0.3530]}
                model: {pretrained: %s}
                optimizer: {lr: 0.01}
                finetune: {freeze_epochs: 1}
                train: {epochs: 1}
                """.formatted(TORCHSCRIPT.toAbsolutePath()));
        assertServingMatchesKeel(torchScript, export(torchScript, temp.resolve("exports/torchscript")));
    }

    @Test
    void aTableModelPredictsRowsGivenAsMapsAsKeelPredictsTheCsv() throws Exception {
        Path table = writeTable(temp.resolve("table/train.csv"), 600, 11);
        Path run = train("table", """
                name: table
                seed: 1
                device: cpu
                data: {format: csv, path: %s, label_column: label, batch_size: 32}
                model: {arch: tabular-mlp, hidden: [16], dropout: 0}
                train: {epochs: 3}
                """.formatted(table.toAbsolutePath()));
        Path rows = writeTable(temp.resolve("table/new.csv"), 200, 12);
        Path export = export(run, temp.resolve("exports/table"));
        String served = ServingJvm.run(serveClasses, "ServeWithPlainDjl", temp, export.toString(), "rows",
                rows.toString());
        assertSame(export, keelPredictions(run, List.of(rows)), served.lines().toList(), 200);
    }

    @Test
    void djlServingsInputOfImageBytesIsAnsweredWithTheClassesKeelPredicts() throws Exception {
        Path export = export(cnn, temp.resolve("exports/cnn-for-djl-serving"));
        List<Path> some = images.subList(0, 20);
        List<Prediction> keel = keelPredictions(cnn, some);
        Criteria<Input, Output> criteria = Criteria.builder()
                .setTypes(Input.class, Output.class)
                .optModelPath(export)
                .optTranslatorFactory(new DeferredTranslatorFactory())
                .build();
        try (ZooModel<Input, Output> model = criteria.loadModel();
                ai.djl.inference.Predictor<Input, Output> predictor = model.newPredictor()) {
            for (int i = 0; i < some.size(); i++) {
                Input request = new Input();
                request.add(Files.readAllBytes(some.get(i)));
                JsonNode answer = RunDirectory.JSON.readTree(predictor.predict(request).getData().getAsString());
                assertEquals(10, answer.size(), answer.toString());
                assertEquals(keel.get(i).predicted(), answer.get(0).get("className").asText());
                assertEquals(keel.get(i).confidence(), answer.get(0).get("probability").asDouble(), TOLERANCE);
            }
        }
    }

    /** Predicts the test images with Keel and, in a serving JVM, with the export; same classes, same probabilities. */
    private void assertServingMatchesKeel(Path run, Path export) throws Exception {
        Path list = Files.write(temp.resolve(run.getFileName() + "-images.txt"),
                images.stream().map(Path::toString).toList());
        String served = ServingJvm.run(serveClasses, "ServeWithPlainDjl", temp, export.toString(), "images",
                list.toString());
        List<String> servedLines = served.lines().toList();
        assertSame(export, keelPredictions(run, images), servedLines, IMAGES);
        for (int i = 0; i < IMAGES; i++) {
            assertEquals(images.get(i).toString(), servedLines.get(i).split("\t")[0]);
        }
    }

    private static void assertSame(Path export, List<Prediction> keel, List<String> served, int expected) {
        assertEquals(expected, keel.size());
        assertEquals(expected, served.size(), String.join("\n", served));
        double worst = 0;
        for (int i = 0; i < expected; i++) {
            String[] fields = served.get(i).split("\t");
            Prediction p = keel.get(i);
            assertEquals(p.predicted(), fields[1], "the class of " + p.input());
            assertEquals(p.probabilities().length, fields.length - 2, served.get(i));
            for (int c = 0; c < p.probabilities().length; c++) {
                double difference = Math.abs(p.probabilities()[c] - Double.parseDouble(fields[c + 2]));
                worst = Math.max(worst, difference);
                assertTrue(difference <= TOLERANCE, "class " + c + " of " + p.input() + ": keel predict "
                        + p.probabilities()[c] + ", served " + fields[c + 2]);
            }
        }
        System.out.printf(Locale.ROOT, "%s: served %d predictions, classes equal, max |probability difference|"
                + " %.3g%n", export.getFileName(), expected, worst);
    }

    private static List<Prediction> keelPredictions(Path run, List<Path> inputs) {
        List<Prediction> predictions = new ArrayList<>();
        try (TrainedModel model = TrainedModel.open(run, Device.cpu())) {
            List<Predictor.Failure> failures = new Predictor(model, 256).predict(inputs, ',', false,
                    predictions::add);
            assertTrue(failures.isEmpty(), failures.toString());
        }
        return predictions;
    }

    private Path train(String name, String yaml) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            RunOutcome outcome = Keel.train(ConfigLoader.fromYaml(name + ".yaml", yaml, List.of()),
                    new RunOptions(name, List.of("train", name), temp.resolve("runs"), temp.resolve("runs/" + name),
                            out, false, resolver));
            assertEquals(0, outcome.exitCode(), console.toString(StandardCharsets.UTF_8));
            return outcome.runDir();
        }
    }

    /** {@code keel export RUN --out OUT}, as a user runs it. */
    private static Path export(Path run, Path out) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int exit;
        try (PrintStream capture = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            exit = KeelCli.commandLine().execute("export", run.toString(), "--out", out.toString());
        } finally {
            System.setErr(saved);
        }
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        return out;
    }

    /** The first {@value #IMAGES} images of the sample's test split, as 28x28 grayscale PNG files. */
    private static List<Path> testImages(Path folder) throws IOException {
        byte[] pixels;
        try (InputStream in = new GZIPInputStream(PlainDjlServingTest.class.getResourceAsStream(
                SAMPLE + "t10k-images-idx3-ubyte.gz"))) {
            pixels = in.readAllBytes();
        }
        Files.createDirectories(folder);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, 28, 28, java.util.Arrays.copyOfRange(pixels, 16 + i * 784,
                    16 + (i + 1) * 784));
            Path file = folder.resolve(String.format(Locale.ROOT, "%04d.png", i));
            ImageIO.write(image, "png", file.toFile());
            files.add(file);
        }
        return files;
    }

    /**
     * A table of a number, a number with missing values and a category: {@code yes} when
     * {@code x1 + x2} (a missing x2 read as 0.5) plus a colour's shift exceeds 1, a tenth flipped.
     */
    private static Path writeTable(Path file, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        String[] colours = {"red", "green", "blue"};
        StringBuilder csv = new StringBuilder("x1,x2,colour,label\n");
        for (int i = 0; i < rows; i++) {
            double x1 = random.nextDouble();
            boolean missing = random.nextDouble() < 0.15;
            double x2 = random.nextDouble();
            int colour = random.nextInt(colours.length);
            boolean yes = x1 + (missing ? 0.5 : x2) + 0.2 * (colour - 1) > 1;
            if (random.nextDouble() < 0.1) {
                yes = !yes;
            }
            csv.append(String.format(Locale.ROOT, "%.4f,%s,%s,%s%n", x1, missing ? "NA" : String.format(Locale.ROOT,
                    "%.4f", x2), colours[colour], yes ? "yes" : "no"));
        }
        Files.createDirectories(file.getParent());
        return Files.writeString(file, csv.toString());
    }
}
