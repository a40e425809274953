package dev.keel.trainer.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.serving.network.TransferBlock;
import dev.keel.trainer.ParameterBytes;
import dev.keel.trainer.SampleData;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.interpret.Interpretation;
import dev.keel.trainer.predict.RunEvaluation;
import dev.keel.trainer.predict.TrainedModel;
import dev.keel.trainer.run.RunOutcome;
import dev.keel.trainer.run.TrainingRun;
import dev.keel.trainer.session.RunOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tunes, on the bundled Fashion-MNIST sample, the TorchScript fixture exported by PyTorch and
 * a model Keel trained itself, as a user would from a config, and checks what the run records. Each
 * run's first checkpoint, written before its first step, shows that its body starts as the
 * pretrained source's weights, bit for bit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransferRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("src/test/resources/dev/keel/trainer/transfer");

    @TempDir
    static Path temp;

    private DatasetResolver resolver;
    private Path pretrainedRun;
    private RunOutcome torchScript;
    private String torchScriptConsole;

    @BeforeAll
    void train() throws IOException {
        resolver = new DatasetResolver(name -> null, Map.of("fashion-mnist", temp.resolve("no-debian-package")));
        pretrainedRun = run("pretrain.yaml", """
                name: pretrain
                seed: 3
                device: cpu
                model: {arch: cnn, channels: [8, 16], hidden: [32], dropout: 0.1}
                optimizer: {lr: 0.005}
                train: {epochs: 1, log_every_steps: 10}
                checkpoint: {every_steps: 30}
                """, new StringBuilder()).runDir();
        JsonNode fixture = JSON.readTree(FIXTURES.resolve("fmnist5.json").toFile());
        StringBuilder console = new StringBuilder();
        torchScript = run("torchscript.yaml", """
                name: torchscript
                seed: 4
                device: cpu
                data: {normalize: [%s, %s]}
                model: {pretrained: %s}
                optimizer: {lr: 0.01}
                finetune: {freeze_epochs: 1}
                train: {epochs: 1, log_every_steps: 10}
                checkpoint: {keep_last: 10}
                """.formatted(fixture.get("normalize_mean"), fixture.get("normalize_std"),
                FIXTURES.resolve("fmnist5-features.pt").toAbsolutePath()), console);
        torchScriptConsole = console.toString();
    }

    @Test
    void fineTuningTheTorchScriptFeatureExtractorLowersTheLossAndTrainsAWorkingModel() throws IOException {
        assertTrue(torchScriptConsole.contains("transfer: TorchScript fmnist5-features.pt (10 parameter arrays,"
                + " output (1, 32)) + new head linear 32 -> 10"), torchScriptConsole);
        List<JsonNode> steps = lines(torchScript.runDir(), "step");
        double first = steps.get(0).get("loss").asDouble();
        double last = steps.get(steps.size() - 1).get("loss").asDouble();
        assertTrue(last < first / 2, "loss from " + first + " to " + last);
        assertTrue(torchScript.test().accuracy() > 0.7, "test accuracy " + torchScript.test().accuracy());
        JsonNode description = JSON.readTree(torchScript.runDir().resolve("model/keel-model.json").toFile());
        assertTrue(description.path("transfer").path("pretrained").asText().endsWith("fmnist5-features.pt"));
        assertTrue(Files.isRegularFile(torchScript.runDir().resolve("model/model-0002.params")));
    }

    @Test
    void theTorchScriptRunStartsFromTheModulesWeights() throws Exception {
        try (Model source = Model.newInstance("fmnist5-features", Device.cpu(), "PyTorch")) {
            source.load(FIXTURES, "fmnist5-features", Map.of("trainParam", "true"));
            assertStartedFrom(ParameterBytes.of(source.getBlock()), torchScript.runDir());
        }
    }

    @Test
    void theFineTunedTorchScriptModelLoadsAgainForEvaluation() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            Interpretation again = RunEvaluation.evaluate(torchScript.runDir(), null, Device.cpu(), resolver, out);
            assertEquals(torchScript.test().accuracy(), again.accuracy(), 1e-9,
                    "the saved module and head, reloaded, predict what the run tested");
        }
    }

    @Test
    void metricsShowWhichGroupsAreFrozenAndTheRateOfEach() throws IOException {
        for (JsonNode line : lines(torchScript.runDir(), "step")) {
            JsonNode body = line.get("groups").get(0);
            JsonNode head = line.get("groups").get(1);
            assertEquals("body", body.get("name").asText());
            assertEquals("head", head.get("name").asText());
            assertFalse(head.get("frozen").asBoolean());
            assertEquals(line.get("lr").asDouble(), head.get("lr").asDouble(), 1e-9);
            boolean frozenPhase = line.get("epoch").asInt() == 1;
            assertEquals(frozenPhase, body.get("frozen").asBoolean(), line.toString());
            // fastai: slice(lr) while frozen (the rest at lr / 10), slice(lr / lr_mult, lr) after.
            assertEquals(frozenPhase ? 0.1 : 0.01, body.get("lr").asDouble() / head.get("lr").asDouble(), 1e-6);
        }
    }

    @Test
    void aKeelRunStartsTheNextOneWithItsNormalisationAndConfiguredGroups() throws IOException {
        StringBuilder console = new StringBuilder();
        RunOutcome outcome = run("groups.yaml", """
                name: groups
                seed: 5
                device: cpu
                model: {pretrained: %s}
                optimizer: {lr: 0.004}
                finetune: {freeze_epochs: 1, lr_mult: 100, groups: [body_0, body_1, head]}
                train: {epochs: 1, log_every_steps: 10}
                checkpoint: {keep_last: 10}
                """.formatted(pretrainedRun), console);
        assertTrue(console.toString().contains("normalize: auto uses the statistics " + pretrainedRun
                + " was trained with"), console.toString());
        assertTrue(console.toString().contains("first 12 of 13 layers"), console.toString());
        JsonNode pretrainedModel = JSON.readTree(pretrainedRun.resolve("model/keel-model.json").toFile());
        JsonNode model = JSON.readTree(outcome.runDir().resolve("model/keel-model.json").toFile());
        assertEquals(pretrainedModel.get("normalize_mean"), model.get("normalize_mean"));
        JsonNode unfrozen = lines(outcome.runDir(), "step").get(lines(outcome.runDir(), "step").size() - 1);
        double head = unfrozen.get("groups").get(2).get("lr").asDouble();
        assertEquals(0.01, unfrozen.get("groups").get(0).get("lr").asDouble() / head, 1e-6, unfrozen.toString());
        assertEquals(0.1, unfrozen.get("groups").get(1).get("lr").asDouble() / head, 1e-6, unfrozen.toString());
        assertTrue(outcome.test().accuracy() > 0.6, "test accuracy " + outcome.test().accuracy());
        assertStartedFrom(savedModel(pretrainedRun), outcome.runDir());
    }

    @Test
    void aCheckpointOfAKeelRunIsAPretrainedSourceToo() throws IOException {
        Path checkpoint = pretrainedRun.resolve("checkpoints/step-00000060");
        assertTrue(Files.isDirectory(checkpoint), "the pretraining run checkpoints every 30 steps");
        RunOutcome outcome = run("from-checkpoint.yaml", """
                name: from-checkpoint
                device: cpu
                model: {pretrained: %s}
                optimizer: {lr: 0.003}
                train: {epochs: 1, log_every_steps: 10}
                checkpoint: {keep_last: 10}
                """.formatted(checkpoint), new StringBuilder());
        assertTrue(outcome.test().accuracy() > 0.6, "test accuracy " + outcome.test().accuracy());
        Map<String, byte[]> atStep60 = checkpointWeights(checkpoint);
        assertStartedFrom(atStep60, outcome.runDir());
        Map<String, byte[]> finished = savedModel(pretrainedRun);
        assertTrue(atStep60.keySet().stream().anyMatch(name -> !java.util.Arrays.equals(atStep60.get(name),
                finished.get(name))), "the checkpoint's weights are not the finished run's: the test tells them apart");
    }

    @Test
    void aModelFolderInDjlsFormatStartsARunWhenTheConfigDescribesItsNetwork() throws IOException {
        Path djl = Files.createDirectories(temp.resolve("djl-model"));
        for (String file : List.of("model-0001.params", "synset.txt")) {
            Files.copy(pretrainedRun.resolve("model").resolve(file), djl.resolve(file));
        }
        RunOutcome outcome = run("djl.yaml", """
                name: djl
                device: cpu
                model: {arch: cnn, channels: [8, 16], hidden: [32], pretrained: %s}
                optimizer: {lr: 0.003}
                finetune: {freeze_epochs: 1, train_bn: false}
                train: {epochs: 0, log_every_steps: 10}
                checkpoint: {keep_last: 10}
                """.formatted(djl), new StringBuilder());
        assertTrue(outcome.test().accuracy() > 0.6, "a linear probe on the loaded body: " + outcome.test().accuracy());
        Map<String, byte[]> source = savedModel(pretrainedRun);
        assertStartedFrom(source, outcome.runDir());
        // A linear probe with the body frozen, batch norm included: the saved body is the source's.
        assertBodyIs(source, savedModel(outcome.runDir()), outcome.runDir().resolve("model"));
        String misfit = failure("model: {arch: cnn, channels: [8, 32], hidden: [32], pretrained: " + djl + "}");
        assertTrue(misfit.startsWith("bad.yaml: model.pretrained " + djl + ": its weights do not fit a cnn network for"
                + " 10 classes and inputs (1, 28, 28)"), misfit);
    }

    @Test
    void badSourcesStopBeforeTrainingWithOneMessageNamingTheFileAndTheMismatch() throws IOException {
        Path notZip = Files.writeString(temp.resolve("model.pt"), "not a model");
        assertEquals("bad.yaml: model.pretrained " + temp.resolve("missing.pt") + ": not found (expected a Keel run"
                + " directory or checkpoint, a DJL model folder, or a TorchScript .pt file)",
                failure("model: {pretrained: " + temp.resolve("missing.pt") + "}"));
        assertTrue(failure("model: {pretrained: " + notZip + "}").contains(": not a TorchScript file"));
        Path colour = SampleData.imageFolder(temp.resolve("colour"), 3);
        String shape = failure("data: {format: image-folder, path: " + colour + ", channels: 3, normalize: none}\n"
                + "model: {pretrained: " + FIXTURES.resolve("fmnist5-features.pt").toAbsolutePath() + "}");
        assertTrue(shape.contains("fmnist5-features.pt: does not accept inputs of shape (1, 3, 28, 28) from the data"),
                shape);
        String keelShape = failure("data: {format: image-folder, path: " + colour + ", channels: 3}\n"
                + "model: {pretrained: " + pretrainedRun + "}");
        assertTrue(keelShape.endsWith(": was trained on inputs of shape [1, 28, 28], the data gives (3, 28, 28);"
                + " expected data.channels and data.image_size to match it"), keelShape);
        String groups = failure("model: {pretrained: " + pretrainedRun + "}\nfinetune: {groups: [body_01, head]}");
        assertTrue(groups.startsWith("bad.yaml: finetune.groups: 7 parameters match no prefix (body_02BatchNorm_gamma,"),
                groups);
        Path unfinished = Files.createDirectories(temp.resolve("unfinished/checkpoints"));
        Files.writeString(unfinished.resolveSibling("config.yaml"), "name: x\n");
        assertTrue(failure("model: {pretrained: " + unfinished.getParent() + "}")
                .contains(": a Keel run that has not finished"));
    }

    private String failure(String yaml) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> run("bad.yaml", "device: cpu\n" + yaml + "\n", new StringBuilder()));
        return e.getMessage();
    }

    private RunOutcome run(String name, String yaml, StringBuilder console) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            return new TrainingRun(ConfigLoader.fromYaml(name, yaml, List.of()), new RunOptions(name,
                    List.of("train", name), temp.resolve("runs"), null, out, false, resolver)).run();
        } finally {
            console.append(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * Asserts that the body of the run in {@code run} held {@code source}'s weights before its first
     * step: every body array of its first checkpoint equals the source's array of the same name,
     * and every array of the source but its last linear layer (which the new head replaces) is there.
     */
    private static void assertStartedFrom(Map<String, byte[]> source, Path run) throws IOException {
        Path first = run.resolve("checkpoints/step-00000000");
        assertTrue(Files.isDirectory(first), "the run's checkpoint before its first step: " + first);
        assertBodyIs(source, checkpointWeights(first), first);
    }

    private static void assertBodyIs(Map<String, byte[]> source, Map<String, byte[]> weights, Path where) {
        Map<String, byte[]> body = new TreeMap<>();
        weights.forEach((name, bytes) -> {
            if (name.startsWith(TransferBlock.BODY + "_")) {
                body.put(name.substring(TransferBlock.BODY.length() + 1), bytes);
            }
        });
        assertFalse(body.isEmpty(), "no body arrays in " + where + ": " + weights.keySet());
        body.forEach((name, bytes) -> {
            assertTrue(source.containsKey(name), name + " is not in the source: " + source.keySet());
            assertTrue(java.util.Arrays.equals(source.get(name), bytes), "body " + name + " in " + where
                    + " differs from the source's");
        });
        List<String> left = source.keySet().stream().filter(name -> !body.containsKey(name)).toList();
        assertTrue(left.size() <= 2 && left.stream().allMatch(name -> name.endsWith("_weight")
                || name.endsWith("_bias")), "source arrays missing from the body: " + left);
    }

    /** The arrays of a checkpoint's weights.ndlist, by name. */
    private static Map<String, byte[]> checkpointWeights(Path checkpoint) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, byte[]> weights = new HashMap<>();
            for (NDArray array : NDList.decode(manager, Files.readAllBytes(checkpoint.resolve("weights.ndlist")))) {
                weights.put(array.getName(), ParameterBytes.of(array));
            }
            return weights;
        }
    }

    /** The weights of the model a finished run saved, loaded as keel evaluate loads them, by name. */
    private static Map<String, byte[]> savedModel(Path run) {
        try (TrainedModel model = TrainedModel.open(run, Device.cpu())) {
            return ParameterBytes.of(model.block());
        }
    }

    private static List<JsonNode> lines(Path run, String kind) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode json = JSON.readTree(line);
            if (json.get("kind").asText().equals(kind)) {
                lines.add(json);
            }
        }
        return lines;
    }
}
