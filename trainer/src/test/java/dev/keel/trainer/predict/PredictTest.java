package dev.keel.trainer.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.SampleData;
import dev.keel.trainer.cli.KeelCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code keel predict} and {@code keel evaluate} as a user runs them, on a small image-folder run and
 * a small table run: the training preprocessing is applied again, and every unreadable input is
 * named with exit code 2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    private Path images;
    private Path imageRun;
    private Path tableRun;

    private record Result(int exitCode, String out, String err) {}

    @BeforeAll
    void train() throws Exception {
        images = SampleData.imageFolder(temp.resolve("images"), 30);
        imageRun = temp.resolve("image-run");
        Result trained = keel("train", Files.writeString(temp.resolve("images.yaml"), """
                name: images
                seed: 2
                device: cpu
                data: {format: image-folder, path: %s, batch_size: 32}
                model: {arch: cnn, channels: [8], hidden: [16]}
                optimizer: {lr: 0.01}
                train: {epochs: 2}
                """.formatted(images)).toString(), "--run-dir", imageRun.toString());
        assertEquals(0, trained.exitCode(), trained.err());
        StringBuilder csv = new StringBuilder("x1,colour,label\n");
        Random random = new Random(3);
        for (int i = 0; i < 300; i++) {
            double x1 = random.nextDouble() * 2;
            String colour = random.nextBoolean() ? "red" : "blue";
            csv.append(String.format(Locale.ROOT, "%.4f,%s,%s%n", x1, colour,
                    x1 + (colour.equals("red") ? 0.8 : 0) > 1.4 ? "yes" : "no"));
        }
        Path table = Files.writeString(temp.resolve("table.csv"), csv);
        tableRun = temp.resolve("table-run");
        trained = keel("train", Files.writeString(temp.resolve("table.yaml"), """
                name: table
                device: cpu
                data: {format: csv, path: %s, label_column: label, batch_size: 32}
                model: {arch: tabular-mlp, hidden: [16], dropout: 0}
                optimizer: {lr: 0.01}
                train: {epochs: 4}
                """.formatted(table)).toString(), "--run-dir", tableRun.toString());
        assertEquals(0, trained.exitCode(), trained.err());
    }

    @Test
    void predictsTheTestImagesWithTheAccuracyTheRunReported() throws Exception {
        Path out = temp.resolve("predictions.csv");
        Result result = keel("predict", imageRun.toString(), images.resolve("test").toString(), "--out", out.toString());
        assertEquals(0, result.exitCode(), result.err());
        List<String> lines = result.out().lines().toList();
        assertEquals(300, lines.size(), "one line per test image: " + result.err());
        long right = lines.stream().filter(line -> {
            String[] fields = line.split("\t");
            return Path.of(fields[0]).getParent().getFileName().toString().equals(fields[1]);
        }).count();
        JsonNode summary = JSON.readTree(imageRun.resolve("summary.json").toFile());
        assertEquals(summary.get("test").get("accuracy").asDouble(), right / 300.0, 1e-9,
                "the same images, preprocessed as in training, give the same accuracy");
        List<String> csv = Files.readAllLines(out);
        assertTrue(csv.get(0).startsWith("input,predicted,confidence,review,p_class-0,"), csv.get(0));
        assertEquals(301, csv.size());
        assertTrue(result.err().contains("predicted 300 images in"), result.err());
    }

    @Test
    void aCorruptImageIsNamedAndStopsUnlessKeepGoing() throws Exception {
        Path bad = Files.writeString(temp.resolve("broken.png"), "not a png");
        Path good = images.resolve("test/class-3").toFile().listFiles()[0].toPath();
        Result stopped = keel("predict", imageRun.toString(), bad.toString(), good.toString());
        assertEquals(KeelCli.EXIT_USAGE, stopped.exitCode());
        assertTrue(stopped.err().startsWith("keel: " + bad + ": "), stopped.err());
        assertEquals("", stopped.out(), "stopped at the first input");
        Result kept = keel("predict", imageRun.toString(), bad.toString(), good.toString(), "--keep-going");
        assertEquals(KeelCli.EXIT_USAGE, kept.exitCode());
        assertTrue(kept.out().startsWith(good + "\t"), kept.out());
        assertTrue(kept.err().contains("keel: " + bad + ": "), kept.err());
        Result missing = keel("predict", imageRun.toString(), temp.resolve("nowhere.png").toString());
        assertEquals(KeelCli.EXIT_USAGE, missing.exitCode());
        assertTrue(missing.err().startsWith("keel: " + temp.resolve("nowhere.png") + ": not found"), missing.err());
    }

    @Test
    void tableRowsArePredictedAndAMissingColumnIsNamed() throws Exception {
        Path rows = Files.writeString(temp.resolve("rows.csv"), "colour,x1\nred,1.5\nblue,0.1\n");
        Result result = keel("predict", tableRun.toString(), rows.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(List.of(rows + ":2\tyes", rows + ":3\tno"),
                result.out().lines().map(l -> l.substring(0, l.lastIndexOf('\t'))).map(l -> l.replaceAll("\t[0-9.]+$", ""))
                        .toList());
        Path noColour = Files.writeString(temp.resolve("no-colour.csv"), "x1\n1.5\n");
        Result missing = keel("predict", tableRun.toString(), noColour.toString());
        assertEquals(KeelCli.EXIT_USAGE, missing.exitCode());
        assertTrue(missing.err().startsWith("keel: " + noColour + ": no column \"colour\""), missing.err());
    }

    @Test
    void aRunWithoutAModelIsNamed() throws Exception {
        Path unfinished = Files.createDirectories(temp.resolve("unfinished"));
        Files.writeString(unfinished.resolve("config.yaml"), "name: unfinished\n");
        Result result = keel("predict", unfinished.toString(), images.toString());
        assertEquals(KeelCli.EXIT_USAGE, result.exitCode());
        assertTrue(result.err().startsWith("keel: " + unfinished + ": has no trained model"), result.err());
    }

    @Test
    void evaluateWritesTheInterpretationOfTheTestSplit() throws Exception {
        Files.walk(imageRun.resolve("interpret")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Result result = keel("evaluate", imageRun.toString());
        assertEquals(0, result.exitCode(), result.err());
        JsonNode interpretation = JSON.readTree(imageRun.resolve("interpret/interpretation.json").toFile());
        JsonNode summary = JSON.readTree(imageRun.resolve("summary.json").toFile());
        assertEquals(summary.get("test").get("accuracy").asDouble(), interpretation.get("accuracy").asDouble(), 1e-9);
        assertEquals(300, interpretation.get("items").asInt());
        assertTrue(Files.isRegularFile(imageRun.resolve("interpret/top_losses.png")));
        List<String> review = Files.readAllLines(imageRun.resolve("interpret/review.csv"));
        assertEquals(interpretation.get("review_count").asInt() + 1, review.size());
    }

    /** Runs the CLI in this JVM with System.out and System.err captured (where picocli and the commands write). */
    private static Result keel(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = KeelCli.commandLine();
            cli.setOut(new PrintWriter(System.out, true));
            cli.setErr(new PrintWriter(System.err, true));
            int code = cli.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }
}
