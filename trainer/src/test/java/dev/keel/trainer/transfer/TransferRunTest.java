package dev.keel.trainer.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.trainer.SampleData;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.interpret.Interpretation;
import dev.keel.trainer.predict.RunEvaluation;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tunes, on the bundled Fashion-MNIST sample, the TorchScript fixture exported by PyTorch and
 * a model Keel trained itself, as a user would from a config, and checks what the run records.
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
                """.formatted(checkpoint), new StringBuilder());
        assertTrue(outcome.test().accuracy() > 0.6, "test accuracy " + outcome.test().accuracy());
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
                finetune: {freeze_epochs: 1}
                train: {epochs: 0, log_every_steps: 10}
                """.formatted(djl), new StringBuilder());
        assertTrue(outcome.test().accuracy() > 0.6, "a linear probe on the loaded body: " + outcome.test().accuracy());
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
