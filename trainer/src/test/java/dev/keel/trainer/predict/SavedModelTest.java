package dev.keel.trainer.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.datasets.fingerprint.Sha256;
import dev.keel.trainer.FileSnapshot;
import dev.keel.trainer.KeelRun;
import dev.keel.trainer.SampleData;
import dev.keel.trainer.TinyRuns;
import dev.keel.trainer.cli.KeelCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code model/manifest.json}: a run lists every file of its saved model with its SHA-256, and
 * {@code predict} and {@code evaluate} refuse a model whose files do not match it, whichever file
 * is damaged, naming it; a model saved before manifests loads with one warning.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SavedModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    private Path tableRun;
    private Path imageRun;
    private Path rows;
    private Path png;

    @BeforeAll
    void trainTinyRuns() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        Path images = SampleData.imageFolder(data.resolve("images"), 5);
        tableRun = TinyRuns.table(temp.resolve("table"), data);
        imageRun = TinyRuns.images(temp.resolve("images"), images, data);
        rows = Files.writeString(data.resolve("rows.csv"), "x1,x2\n0.9,0.8\n0.1,0.2\n");
        png = images.resolve("test/class-3").toFile().listFiles()[0].toPath();
    }

    @Test
    void aRunListsEveryFileOfItsModelWithItsSha256() throws IOException {
        for (Path run : List.of(tableRun, imageRun)) {
            JsonNode manifest = JSON.readTree(run.resolve("model/manifest.json").toFile());
            assertEquals(1, manifest.get("format_version").asInt());
            Map<String, String> listed = new TreeMap<>();
            manifest.get("sha256").fields().forEachRemaining(f -> listed.put(f.getKey(), f.getValue().asText()));
            Map<String, String> present = new TreeMap<>();
            for (Path file : modelFiles(run)) {
                present.put(file.getFileName().toString(), Sha256.ofFile(file));
            }
            assertEquals(present, listed);
            assertTrue(listed.containsKey("keel-model.json") && listed.containsKey("synset.txt")
                    && listed.keySet().stream().anyMatch(name -> name.endsWith(".params")), listed.toString());
        }
    }

    @Test
    void aFlippedByteInAnyFileOfTheModelIsRefusedByPredictAndEvaluate() throws IOException {
        for (Path run : List.of(tableRun, imageRun)) {
            Path input = run == tableRun ? rows : png;
            List<Path> files = modelFiles(run);
            files.add(run.resolve("model/manifest.json"));
            for (Path file : files) {
                Path damaged = copy(run, temp.resolve("damaged").resolve(run.getFileName() + "-"
                        + file.getFileName()));
                Path flipped = damaged.resolve("model").resolve(file.getFileName().toString());
                byte[] bytes = Files.readAllBytes(flipped);
                bytes[bytes.length / 2] ^= 0x01;
                Files.write(flipped, bytes);
                FileSnapshot before = FileSnapshot.of(damaged, input);
                for (List<String> args : List.of(List.of("predict", damaged.toString(), input.toString()),
                        List.of("evaluate", damaged.toString()))) {
                    KeelRun result = KeelRun.of(args.toArray(String[]::new));
                    assertEquals(KeelCli.EXIT_USAGE, result.exit(), args + ": " + result.output());
                    assertEquals(1, result.errorLines(), result.output());
                    assertFalse(result.output().contains("Exception") || result.output().contains("\tat "),
                            result.output());
                    // A flipped hex digit in manifest.json makes the file it stands for fail its check.
                    String named = file.getFileName().toString().equals("manifest.json")
                            ? damaged.resolve("model").toString() : flipped + " fails its SHA-256 check";
                    assertTrue(result.err().contains(named), args + " names " + named + ": " + result.output());
                    assertTrue(result.err().contains("the saved model is damaged"), result.output());
                }
                assertEquals(List.of(), FileSnapshot.of(damaged, input).changesSince(before));
            }
        }
    }

    @Test
    void aModelSavedBeforeManifestsLoadsWithOneWarning() throws IOException {
        Path older = copy(tableRun, temp.resolve("older"));
        Files.delete(older.resolve("model/manifest.json"));

        KeelRun predicted = KeelRun.of("predict", older.toString(), rows.toString());

        assertEquals(0, predicted.exit(), predicted.output());
        assertEquals(2, predicted.out().lines().count(), predicted.output());
        assertEquals(List.of("keel: warning: " + older.resolve("model") + " has no manifest.json (saved by an older"
                        + " Keel): its files cannot be checked for damage"),
                predicted.err().lines().filter(l -> l.startsWith("keel:")).toList());
    }

    @Test
    void predictionsOfAnIntactModelAreThoseOfTheRun() {
        KeelRun predicted = KeelRun.of("predict", tableRun.toString(), rows.toString());

        assertEquals(0, predicted.exit(), predicted.output());
        assertFalse(predicted.err().contains("warning"), predicted.output());
    }

    private static List<Path> modelFiles(Path run) throws IOException {
        try (Stream<Path> files = Files.list(run.resolve("model"))) {
            return new ArrayList<>(files.filter(p -> !p.getFileName().toString().equals("manifest.json"))
                    .sorted().toList());
        }
    }

    private static Path copy(Path run, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(run)) {
            for (Path path : paths.toList()) {
                Path to = target.resolve(run.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(path, to);
                }
            }
        }
        return target;
    }
}
