package dev.keel.trainer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.modality.Input;
import ai.djl.modality.Output;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.DeferredTranslatorFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.datasets.fingerprint.Sha256;
import dev.keel.trainer.KeelRun;
import dev.keel.trainer.TinyRuns;
import dev.keel.trainer.cli.KeelCli;
import dev.keel.trainer.predict.ModelReference;
import dev.keel.trainer.predict.Prediction;
import dev.keel.trainer.predict.Predictor;
import dev.keel.trainer.predict.TrainedModel;
import dev.keel.trainer.track.ModelManifest;
import dev.keel.trainer.track.RunDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keel export}: what an export holds, where it may be written, what it refuses, and the
 * request and response djl-serving sends an exported model.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportCommandTest {
    @TempDir
    static Path temp;

    private Path run;

    @BeforeAll
    void train() throws IOException {
        run = TinyRuns.table(temp.resolve("run"), Files.createDirectories(temp.resolve("data")));
    }

    @Test
    void aFolderHoldsTheModelItsProvenanceServingPropertiesAndAManifestOfEveryFile() throws IOException {
        Path out = temp.resolve("exports/folder");
        KeelRun exported = KeelRun.of("export", run.toString(), "--out", out.toString());

        assertEquals(0, exported.exit(), exported.output());
        assertEquals(Set.of("keel-model.json", "model-0001.params", "synset.txt", "provenance.json",
                "serving.properties", "manifest.json"), Set.copyOf(names(out)));
        assertEquals(Files.readString(run.resolve("model/keel-model.json")), Files.readString(out.resolve(
                "keel-model.json")));
        assertEquals(List.of("no", "yes"), Files.readAllLines(out.resolve("synset.txt")));
        Properties serving = new Properties();
        try (InputStream in = Files.newInputStream(out.resolve("serving.properties"))) {
            serving.load(in);
        }
        Map<String, String> properties = new TreeMap<>();
        serving.stringPropertyNames().forEach(key -> properties.put(key, serving.getProperty(key)));
        // A network without convolutions runs without a cap on oneDNN's kernels.
        assertEquals(Map.of("engine", "PyTorch", "blockFactory", "dev.keel.serving.KeelBlockFactory",
                "translatorFactory", "dev.keel.serving.KeelTranslatorFactory", "option.modelName", "model",
                "onednnMaxCpuIsa", "ALL"), properties);
        assertTrue(ModelManifest.verify(out).isEmpty(), "the manifest lists every file with its SHA-256");
        JsonNode manifest = RunDirectory.JSON.readTree(out.resolve("manifest.json").toFile());
        assertEquals(Sha256.ofFile(out.resolve("serving.properties")),
                manifest.get("sha256").get("serving.properties").asText());
        try (Stream<Path> left = Files.list(out.getParent())) {
            assertEquals(List.of(out), left.toList(), "no temporary file is left beside the export");
        }
        assertTrue(exported.out().contains("exported " + run + " to " + out), exported.output());
    }

    @Test
    void aZipHoldsTheSameFilesAtItsRoot() throws IOException {
        Path folder = temp.resolve("exports/for-zip");
        Path zip = temp.resolve("exports/model.zip");
        assertEquals(0, KeelRun.of("export", run.toString(), "--out", folder.toString()).exit());
        KeelRun exported = KeelRun.of("export", run.toString(), "--out", zip.toString());

        assertEquals(0, exported.exit(), exported.output());
        Map<String, String> entries = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), Sha256.of(in.readAllBytes()));
            }
        }
        Map<String, String> files = new TreeMap<>();
        for (String name : names(folder)) {
            files.put(name, Sha256.ofFile(folder.resolve(name)));
        }
        assertEquals(files, entries);
    }

    @Test
    void anEmptyFolderIsUsedAndAnythingElseThatExistsIsRefusedWithOneLine() throws IOException {
        Path empty = Files.createDirectories(temp.resolve("exports/empty"));
        assertEquals(0, KeelRun.of("export", run.toString(), "--out", empty.toString()).exit());

        Path full = Files.createDirectories(temp.resolve("exports/full"));
        Files.writeString(full.resolve("notes.txt"), "mine");
        Path file = Files.writeString(temp.resolve("exports/file"), "mine");
        Path zip = Files.writeString(temp.resolve("exports/taken.zip"), "mine");
        for (Path taken : List.of(full, file, zip)) {
            KeelRun refused = KeelRun.of("export", run.toString(), "--out", taken.toString());
            assertEquals(2, refused.exit(), refused.output());
            assertEquals(1, refused.errorLines(), refused.output());
            assertTrue(refused.err().contains("--out " + taken), refused.output());
        }
        assertEquals(List.of("notes.txt"), names(full));
        assertEquals("mine", Files.readString(file));
        assertEquals("mine", Files.readString(zip));
    }

    @Test
    void aRunWithoutAFinishedModelAndANameNothingResolvesAreRefused() throws IOException {
        Path unfinished = Files.createDirectories(temp.resolve("unfinished"));
        KeelRun noModel = KeelRun.of("export", unfinished.toString(), "--out", temp.resolve("exports/x").toString());
        assertEquals(2, noModel.exit(), noModel.output());
        assertEquals(1, noModel.errorLines(), noModel.output());

        KeelRun unresolved = KeelRun.of("export", "tiny@production", "--out", temp.resolve("exports/y").toString());
        assertEquals(2, unresolved.exit(), unresolved.output());
        assertTrue(unresolved.err().contains("tiny@production"), unresolved.output());
        assertFalse(Files.exists(temp.resolve("exports/x")) || Files.exists(temp.resolve("exports/y")));
    }

    @Test
    void aRegisteredVersionCarriesTheRegistrysRecord() throws IOException {
        ObjectNode version = RunDirectory.JSON.createObjectNode().put("name", "tiny").put("version", 3)
                .put("stage", "production");
        Path out = temp.resolve("exports/registered");
        int exit = KeelCli.commandLine(text -> new ModelReference(text, run, version))
                .execute("export", "tiny@production", "--out", out.toString());

        assertEquals(0, exit);
        assertEquals(version, RunDirectory.JSON.readTree(out.resolve("registry.json").toFile()));
        assertTrue(ModelManifest.verify(out).isEmpty());
    }

    @Test
    void djlServingsInputAndOutputTakeAJsonRowAndAnswerEveryClassAsKeelPredicts() throws Exception {
        Path out = temp.resolve("exports/for-djl-serving");
        assertEquals(0, KeelRun.of("export", run.toString(), "--out", out.toString()).exit());
        Criteria<Input, Output> criteria = Criteria.builder()
                .setTypes(Input.class, Output.class)
                .optModelPath(out)
                .optTranslatorFactory(new DeferredTranslatorFactory())
                .build();
        JsonNode answer;
        try (ZooModel<Input, Output> model = criteria.loadModel();
                ai.djl.inference.Predictor<Input, Output> predictor = model.newPredictor()) {
            Input request = new Input();
            request.add("{\"x1\": 0.9, \"x2\": \"0.8\"}");
            Output response = predictor.predict(request);
            assertEquals("application/json", response.getProperty("Content-Type", null));
            answer = RunDirectory.JSON.readTree(response.getData().getAsString());
        }

        Path csv = Files.writeString(temp.resolve("data/one-row.csv"), "x1,x2\n0.9,0.8\n");
        List<Prediction> keel = new ArrayList<>();
        try (TrainedModel model = TrainedModel.open(run, Device.cpu())) {
            assertTrue(new Predictor(model, 1).predict(List.of(csv), ',', false, keel::add).isEmpty());
        }
        assertEquals(2, answer.size(), answer.toString());
        assertEquals(keel.get(0).predicted(), answer.get(0).get("className").asText(), answer.toString());
        assertEquals(keel.get(0).confidence(), answer.get(0).get("probability").asDouble(), 1e-6);
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return new ArrayList<>(files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }
}
