package dev.keel.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.SampleData;
import dev.keel.trainer.cli.KeelCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Image folders through the command line: bad files stop a run or are skipped, and check reports them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageFolderRunTest {
    @TempDir
    static Path temp;

    private Path folder;

    private record Result(int exit, String out, String err) {}

    @BeforeAll
    void writeFolder() throws Exception {
        folder = SampleData.imageFolder(temp.resolve("images"), 30);
        Files.write(folder.resolve("train/class-3/empty.png"), new byte[0]);
        Files.writeString(folder.resolve("train/class-3/notes.png"), "not an image");
    }

    private Result keel(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cli = KeelCli.commandLine();
            cli.setErr(new PrintWriter(err));
            return new Result(cli.execute(args), out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }

    private Path config(String name, String badItems) throws Exception {
        return Files.writeString(temp.resolve(name + ".yaml"), """
                name: %s
                seed: 3
                device: cpu
                data: {format: image-folder, path: %s, bad_items: %s, batch_size: 32,
                       augment: {flip: 0.5, crop_scale: 0.8, rotate: 10}}
                model: {arch: cnn, channels: [8, 16], hidden: [16]}
                optimizer: {lr: 0.003}
                train: {epochs: 2}
                """.formatted(name, folder, badItems));
    }

    @Test
    void unusableFilesStopTheRunBeforeItStarts() throws Exception {
        Result result = keel("train", config("fail", "fail").toString(), "--runs-root", temp.resolve("runs").toString());
        assertEquals(KeelCli.EXIT_USAGE, result.exit(), result.err());
        assertTrue(result.err().contains(folder.resolve("train/class-3/empty.png") + ": the file is empty"), result.err());
        assertTrue(result.err().contains(folder.resolve("train/class-3/notes.png") + ": not an image"), result.err());
        assertFalse(result.err().contains("\tat "), result.err());
        assertFalse(Files.exists(temp.resolve("runs")), "nothing trained, no run directory");
    }

    @Test
    void skippedFilesAreListedAndTheRunTrainsOnTheRest() throws Exception {
        Path run = temp.resolve("skip-run");
        Result result = keel("train", config("skip", "skip").toString(), "--run-dir", run.toString());
        assertEquals(0, result.exit(), result.out() + result.err());
        JsonNode report = new ObjectMapper().readTree(run.resolve("data_report.json").toFile());
        assertEquals(2, report.get("skipped").size(), report.toString());
        assertEquals(2, report.get("errors").asInt());
        assertEquals(30, report.get("class_counts").get("train").get("class-0").asInt());
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        // 16 steps on 300 images: well above the 10% of chance, not yet a good model.
        assertTrue(summary.get("test").get("accuracy").asDouble() > 0.2, summary.toString());
        JsonNode model = new ObjectMapper().readTree(run.resolve("model/keel-model.json").toFile());
        assertEquals("[1,28,28]", model.get("input_shape").toString());
        assertEquals("class-0", model.get("classes").get(0).asText());
    }

    @Test
    void aFolderReadFromItsFilesEveryBatchTrainsLikeOneKeptInMemory() throws Exception {
        Path kept = temp.resolve("kept");
        Path streamed = temp.resolve("streamed");
        String config = config("cache", "skip").toString();
        assertEquals(0, keel("train", config, "--run-dir", kept.toString()).exit());
        Result result = keel("train", config, "--set", "data.cache=false", "--run-dir", streamed.toString());
        assertEquals(0, result.exit(), result.out() + result.err());
        assertTrue(result.out().contains("decoded from their files every batch"), result.out());
        assertEquals(Files.readString(kept.resolve("summary.json")).replaceAll("\"\\w*seconds\" : [0-9.E-]+", ""),
                Files.readString(streamed.resolve("summary.json")).replaceAll("\"\\w*seconds\" : [0-9.E-]+", ""),
                "the same run, the same results");
        JsonNode keptData = new ObjectMapper().readTree(kept.resolve("provenance.json").toFile()).get("dataset");
        JsonNode streamedData = new ObjectMapper().readTree(streamed.resolve("provenance.json").toFile())
                .get("dataset");
        for (String split : new String[] {"train_sha256", "test_sha256"}) {
            assertTrue(keptData.path(split).asText().matches("[0-9a-f]{64}"), keptData.toString());
            assertEquals(keptData.get(split), streamedData.get(split), "the same data, the same fingerprint");
        }
    }

    @Test
    void checkReportsEveryProblemAndTrainsNothing() throws Exception {
        Result failing = keel("check", config("check-fail", "fail").toString());
        assertEquals(KeelCli.EXIT_USAGE, failing.exit(), failing.out() + failing.err());
        assertTrue(failing.out().contains("2 errors") && failing.out().contains("empty.png")
                && failing.out().contains("notes.png"), failing.out());
        assertTrue(failing.out().contains("cannot be trained on as configured"), failing.out());
        Result skipping = keel("check", config("check-skip", "skip").toString());
        assertEquals(0, skipping.exit(), skipping.out() + skipping.err());
    }
}
