package dev.keel.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.datasets.LabeledImages;
import dev.keel.datasets.resolve.DataOrigin;
import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.datasets.resolve.ResolvedDataset;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.model.ModelFactory;
import dev.keel.trainer.session.RunOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Trains on the bundled Fashion-MNIST sample for a few hundred steps, then checks what the run left behind. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            name: sample
            seed: 7
            device: cpu
            data: {dataset: fashion-mnist, batch_size: 128}
            model: {arch: cnn, channels: [16, 32], hidden: [64]}
            optimizer: {name: adamw, lr: 0.003}
            train: {epochs: 4, log_every_steps: 20}
            """;

    @TempDir
    static Path temp;

    private RunConfig config;
    private DatasetResolver resolver;
    private RunOutcome outcome;
    private String console;

    @BeforeAll
    void train() {
        config = ConfigLoader.fromYaml("sample.yaml", CONFIG, List.of());
        resolver = new DatasetResolver(name -> null, Map.of("fashion-mnist", temp.resolve("no-debian-package")));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            outcome = new TrainingRun(config, new RunOptions("sample.yaml", List.of("train", "sample.yaml"),
                    temp.resolve("runs"), null, out, false, resolver)).run();
        }
        console = bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trainsOnTheBundledSampleWellAboveChance() {
        assertTrue(console.contains("bundled sample"), console);
        assertTrue(console.contains("For the full dataset: apt-get install dataset-fashion-mnist"), console);
        assertEquals(4 * 70, outcome.fit().steps(), "9,000 training images in batches of 128, 4 epochs");
        assertTrue(outcome.test().accuracy() > 0.70, "test accuracy " + outcome.test().accuracy() + " vs chance 0.10");
        assertEquals(2000, outcome.test().items());
    }

    @Test
    void leavesACompleteRunDirectory() throws Exception {
        Path run = outcome.runDir();
        assertTrue(run.getFileName().toString().endsWith("-sample"), run.toString());
        RunConfig written = ConfigLoader.load(run.resolve("config.yaml"), List.of());
        assertEquals(config, written, "config.yaml holds the resolved config");

        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("completed", summary.get("status").asText());
        assertEquals(4, summary.get("epochs").asInt());
        assertEquals(280, summary.get("steps").asInt());
        assertTrue(summary.get("wall_seconds").asDouble() > 0);
        assertEquals(outcome.test().accuracy(), summary.at("/test/accuracy").asDouble(), 1e-12);
        assertTrue(summary.at("/valid/accuracy").asDouble() > 0.70);

        JsonNode provenance = JSON.readTree(run.resolve("provenance.json").toFile());
        assertEquals(7, provenance.get("seed").asLong());
        assertEquals("bundled sample", provenance.at("/dataset/origin").asText());
        assertEquals(64, provenance.at("/dataset/train_sha256").asText().length());
        assertTrue(provenance.get("engine_version").asText().startsWith("2.7"));
        // The build sets ONEDNN_MAX_CPU_ISA=AVX2 for test JVMs; without it the policy caps this cnn too.
        assertEquals("AVX2", provenance.get("onednn_max_cpu_isa").asText());
        String isaLine = "oneDNN: ONEDNN_MAX_CPU_ISA=AVX2 · " + provenance.get("onednn_isa_reason").asText();
        assertTrue(console.contains(isaLine), console);

        List<JsonNode> lines = Files.readAllLines(run.resolve("metrics.jsonl")).stream().map(this::parse).toList();
        assertEquals(280 / 20 + 4 + 1, lines.size(), "step lines every 20 steps, one per epoch, one for the test");
        for (JsonNode line : lines) {
            assertTrue(line.has("epoch") && line.has("step") && line.has("lr"), line.toString());
        }
        JsonNode lastEpoch = lines.stream().filter(l -> l.get("kind").asText().equals("epoch")).reduce((a, b) -> b)
                .orElseThrow();
        assertEquals(4, lastEpoch.get("epoch").asInt());
        assertEquals(280, lastEpoch.get("step").asInt());
        assertTrue(lastEpoch.get("rss_mb").asDouble() > 0);
        assertEquals("test", lines.get(lines.size() - 1).get("kind").asText());
    }

    @Test
    void plainDjlLoadsTheSavedModelAndPredictsLikeKeel() throws Exception {
        Path modelDir = outcome.runDir().resolve("model");
        JsonNode description = JSON.readTree(modelDir.resolve("keel-model.json").toFile());
        float mean = (float) description.at("/normalize_mean/0").asDouble();
        float std = (float) description.at("/normalize_std/0").asDouble();
        assertEquals(10, Files.readAllLines(modelDir.resolve("synset.txt")).size());

        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(modelDir)
                .optModelName(RunEnd.MODEL_NAME)
                .optBlock(ModelFactory.build(config.model(), new Shape(1, 28, 28), 10))
                .optEngine("PyTorch")
                .build();
        ResolvedDataset data = resolver.resolve("fashion-mnist", null);
        LabeledImages test = data.test();
        int correct = 0;
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = NDManager.newBaseManager()) {
            for (int from = 0; from < test.count(); from += 500) {
                int n = Math.min(500, test.count() - from);
                float[] pixels = new float[n * 784];
                for (int i = 0; i < pixels.length; i++) {
                    pixels[i] = ((test.pixels()[from * 784 + i] & 0xff) / 255f - mean) / std;
                }
                NDArray input = manager.create(pixels, new Shape(n, 1, 28, 28));
                long[] predicted = predictor.predict(new NDList(input)).singletonOrThrow().argMax(1).toLongArray();
                for (int i = 0; i < n; i++) {
                    if (predicted[i] == test.label(from + i)) {
                        correct++;
                    }
                }
            }
        }
        assertEquals(outcome.test().accuracy(), (double) correct / test.count(), 1e-9,
                "DJL's predictions match Keel's test evaluation");
    }

    @Test
    void resolverUsedTheBundledSample() {
        assertEquals(DataOrigin.BUNDLED_SAMPLE, resolver.resolve("fashion-mnist", null).origin());
    }

    private JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
