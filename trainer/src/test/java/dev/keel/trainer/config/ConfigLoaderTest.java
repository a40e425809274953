package dev.keel.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    private static final Path QUICKSTART = Path.of("..", "configs", "quickstart.yaml");

    private static final RunConfig DEFAULTS = new RunConfig(
            "run",
            42,
            "auto",
            new DataConfig("idx", "fashion-mnist", null, null, ",", java.util.Map.of(), "fail", 128, 512, 0.1, 0.2, 28, 1,
                    true, new AugmentConfig(0, 1, 0, 0, 0), TextNode.valueOf("auto")),
            new ModelConfig("cnn", List.of(128), List.of(32, 64), 0.25, 20),
            new OptimizerConfig("adamw", 0.003, 0.01, 0.9, false, 0.9, 0.999, 1.0e-8),
            new ScheduleConfig("one-cycle", 0.25, 25.0, 100000.0, true, 0.95, 0.85, 0.05, 1, 0.5),
            new TrainConfig(5, 50),
            null,
            new CheckpointConfig(200, 3, 1, "valid_loss"),
            new GuardConfig(0.0, 10.0, 0.5, 3),
            new EarlyStoppingConfig(0, "valid_loss", 0.0),
            new LrFindConfig(1.0e-7, 10.0, 100, "bottom_div_10"),
            new InterpretConfig(16, 0.5));

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    private static RunConfig parse(String yaml, String... overrides) {
        return ConfigLoader.fromYaml("x.yaml", yaml, List.of(overrides));
    }

    private static ConfigException failure(String yaml, String... overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml, overrides));
        assertFalse(e.getMessage().contains("\n"), () -> "message spans lines: " + e.getMessage());
        return e;
    }

    @Test
    void quickstartLoadsWithExpectedValues() {
        RunConfig c = ConfigLoader.load(QUICKSTART, List.of());

        assertEquals("quickstart", c.name());
        assertEquals(42, c.seed());
        assertEquals("auto", c.device());
        assertEquals("fashion-mnist", c.data().dataset());
        assertNull(c.data().path());
        assertEquals(128, c.data().batchSize());
        assertEquals(512, c.data().evalBatchSize());
        assertEquals(new ModelConfig("cnn", List.of(128), List.of(24, 48), 0.25, 20), c.model());
        assertTrue(c.optimizer().lr().auto());
        assertEquals(DEFAULTS.optimizer().withLr(0.006), c.optimizer().withLr(0.006));
        assertEquals(DEFAULTS.schedule(), c.schedule());
        assertEquals(new TrainConfig(5, 50), c.train());
        assertEquals(new LrFindConfig(1.0e-7, 10.0, 100, "bottom_div_10"), c.lrFind());
    }

    @Test
    void emptyFileGivesAllDefaults() throws IOException {
        RunConfig c = ConfigLoader.load(write("empty.yaml", ""), List.of());

        assertEquals(DEFAULTS, c);
        assertEquals("run", c.name());
        assertEquals(42, c.seed());
        assertEquals("idx", c.data().format());
        assertEquals(0.1, c.data().validFraction());
        assertEquals(List.of(32, 64), c.model().channels());
        assertEquals(1.0e-8, c.optimizer().eps());
        assertEquals(100000.0, c.schedule().divFinal());
        assertEquals(50, c.train().logEverySteps());
    }

    @Test
    void commentOnlyFileAndEmptyTextGiveAllDefaults() throws IOException {
        assertEquals(DEFAULTS, ConfigLoader.load(write("comments.yaml", "# nothing here\n"), List.of()));
        assertEquals(DEFAULTS, parse(""));
    }

    @Test
    void partialSectionsMergeWithDefaults() {
        RunConfig c = parse("""
                optimizer:
                  name: sgd
                  momentum: 0.8
                train:
                  epochs: 9
                """);

        assertEquals(new OptimizerConfig("sgd", 0.003, 0.01, 0.8, false, 0.9, 0.999, 1.0e-8), c.optimizer());
        assertEquals(new TrainConfig(9, 50), c.train());
        assertEquals(DEFAULTS.data(), c.data());
        assertEquals(DEFAULTS.model(), c.model());
        assertEquals(DEFAULTS.schedule(), c.schedule());
        assertEquals(DEFAULTS.name(), c.name());
    }

    @Test
    void listsReplaceTheDefaultListRatherThanMerging() {
        RunConfig c = parse("model:\n  channels: [8]\n  hidden: []\n");

        assertEquals(List.of(8), c.model().channels());
        assertEquals(List.of(), c.model().hidden());
    }

    @Test
    void toYamlRoundTripsTheDefaults() {
        assertEquals(DEFAULTS, parse(ConfigLoader.toYaml(DEFAULTS)));
    }

    @Test
    void toYamlRoundTripsTheQuickstartThroughAFile() throws IOException {
        RunConfig c = ConfigLoader.load(QUICKSTART, List.of());

        assertEquals(c, ConfigLoader.load(write("config.yaml", ConfigLoader.toYaml(c)), List.of()));
    }

    @Test
    void toYamlRoundTripsNonDefaultValues() {
        RunConfig c = parse("""
                name: my-run_2.b
                seed: -7
                device: gpu:1
                data:
                  dataset: null
                  path: /data/my set
                  valid_fraction: 0
                  normalize: [0.2860, 0.3530]
                model:
                  arch: resnet
                  hidden: []
                  channels: [16]
                  dropout: 0
                  layers: 110
                optimizer:
                  name: sgd
                  lr: 1.0e-5
                  nesterov: true
                schedule:
                  name: step
                  cycle_momentum: false
                  div_final: 1.0e+7
                train:
                  epochs: 1
                  log_every_steps: 1
                """);
        String yaml = ConfigLoader.toYaml(c);

        assertEquals(c, parse(yaml));
        assertEquals(JsonNodeFactory.instance.arrayNode().add(0.2860).add(0.3530), c.data().normalize());
    }

    @Test
    void toYamlQuotesStringsThatLookLikeNumbersOrBooleans() {
        for (String name : List.of("1.50", "007", "1e3", "-2", ".5", ".inf", "0x1F", "true", "no", "null")) {
            RunConfig c = parse("name: '" + name + "'\n");

            assertEquals(name, parse(ConfigLoader.toYaml(c)).name(), "name " + name);
        }
    }

    @Test
    void toYamlWritesEveryKeyInSnakeCase() {
        String yaml = ConfigLoader.toYaml(DEFAULTS);

        for (String key : List.of("name:", "seed:", "device:", "batch_size:", "eval_batch_size:", "valid_fraction:",
                "normalize:", "path: null", "weight_decay:", "pct_start:", "div_final:", "cycle_momentum:",
                "momentum_max:", "momentum_min:", "warmup_fraction:", "step_epochs:", "log_every_steps:",
                "sync_every_steps:", "precision: fp32", "loss_scale:")) {
            assertTrue(yaml.contains(key), () -> key + " missing from\n" + yaml);
        }
        assertFalse(yaml.startsWith("---"));
    }

    @Test
    void scalarOverride() {
        assertEquals(7, parse("", "train.epochs=7").train().epochs());
    }

    @Test
    void overrideReplacesTheFilesValue() {
        RunConfig c = parse("train:\n  epochs: 3\n  log_every_steps: 10\n", "train.epochs=9");

        assertEquals(new TrainConfig(9, 10), c.train());
    }

    @Test
    void nestedOverrideLeavesSiblingsAlone() {
        RunConfig c = parse("schedule:\n  div: 10\n", "schedule.pct_start=0.3");

        assertEquals(0.3, c.schedule().pctStart());
        assertEquals(10.0, c.schedule().div());
        assertEquals(DEFAULTS.schedule().gamma(), c.schedule().gamma());
    }

    @Test
    void listOverride() {
        assertEquals(List.of(16, 32), parse("", "model.channels=[16,32]").model().channels());
        assertEquals(List.of(16, 32), parse("", "model.channels=[16, 32]").model().channels());
    }

    @Test
    void nullOverride() {
        RunConfig c = parse("data:\n  path: /data/fmnist\n", "data.path=null");

        assertNull(c.data().path());
        assertEquals("fashion-mnist", c.data().dataset());
    }

    @Test
    void nullOverrideOfDatasetWithAPath() {
        RunConfig c = parse("", "data.path=/data/fmnist", "data.dataset=null");

        assertNull(c.data().dataset());
        assertEquals("/data/fmnist", c.data().path());
    }

    @Test
    void stringOverrides() {
        RunConfig c = parse("", "optimizer.name=sgd", "name=\"my-run\"", "device=gpu:0");

        assertEquals("sgd", c.optimizer().name());
        assertEquals("my-run", c.name());
        assertEquals("gpu:0", c.device());
    }

    @Test
    void normalizeOverrideTakesAListOrAName() {
        assertEquals(JsonNodeFactory.instance.arrayNode().add(0.5).add(0.25),
                parse("", "data.normalize=[0.5, 0.25]").data().normalize());
        assertEquals(TextNode.valueOf("none"), parse("", "data.normalize=none").data().normalize());
    }

    @Test
    void laterOverrideWins() {
        assertEquals(3, parse("", "train.epochs=8", "train.epochs=3").train().epochs());
    }

    @Test
    void overrideWithSpacesAroundTheKey() {
        assertEquals(6, parse("", " train.epochs =6").train().epochs());
    }

    @Test
    void overrideCreatesAMissingSection() {
        RunConfig c = parse("name: a\n", "train.epochs=2");

        assertEquals(new TrainConfig(2, 50), c.train());
    }

    @Test
    void overrideOfAWholeSectionMergesWithDefaults() {
        RunConfig c = parse("", "optimizer={name: adam, lr: 0.01}");

        assertEquals(new OptimizerConfig("adam", 0.01, 0.01, 0.9, false, 0.9, 0.999, 1.0e-8), c.optimizer());
    }

    @Test
    void overrideIntoAScalarFromTheFileIsAnError() {
        ConfigException e = failure("seed: 1\n", "seed.x=1");

        assertEquals("x.yaml (--set seed.x=1): seed is a value, not a section of keys", e.getMessage());
    }

    @Test
    void overrideIntoAScalarFromTheDefaultsIsAnError() {
        ConfigException e = failure("", "seed.x=1");

        assertTrue(e.getMessage().startsWith("x.yaml (--set seed.x=1): seed: found a section of keys"), e::getMessage);
    }

    @ParameterizedTest
    @ValueSource(strings = {"train.epochs", "=3", ""})
    void overrideWithoutAKeyAndEqualsIsAnError(String override) {
        ConfigException e = failure("", override);

        assertEquals("x.yaml (--set " + override + "): expected key.path=value", e.getMessage());
    }

    @Test
    void overrideWithInvalidYamlValueIsAnError() {
        ConfigException e = failure("", "model.channels=[16, 32");

        assertTrue(e.getMessage().startsWith("x.yaml (--set model.channels=[16, 32): the value is not valid YAML: "),
                e::getMessage);
    }

    @Test
    void invalidYamlFileNamesTheFileAndLine() throws IOException {
        Path file = write("broken.yaml", "name: a\nseed: 1\ntrain: epochs: 3\n");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, List.of()));

        assertTrue(e.getMessage().startsWith(file + ": not valid YAML: "), e::getMessage);
        assertTrue(e.getMessage().contains("line 3"), e::getMessage);
        assertFalse(e.getMessage().contains("\n"), e::getMessage);
    }

    @Test
    void invalidYamlTextNamesTheSourceAndLine() {
        ConfigException e = failure("name: a\nmodel:\n  channels: [16, 32\n");

        assertTrue(e.getMessage().startsWith("x.yaml: not valid YAML: "), e::getMessage);
        assertTrue(e.getMessage().matches(".*line \\d+.*"), e::getMessage);
    }

    @Test
    void missingFileIsAnError() {
        Path file = dir.resolve("absent.yaml");

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, List.of()));

        assertEquals(file + ": config file not found", e.getMessage());
    }

    @Test
    void directoryIsNotAConfigFile() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, List.of()));

        assertEquals(dir + ": is a folder (expected a YAML config file)", e.getMessage());
    }

    @Test
    void aKeyGivenTwiceIsAnErrorNamingTheKey() {
        assertEquals("x.yaml: name: given twice (line 2, column 5); expected each key once (YAML keeps only the"
                + " last, so one of them would be ignored)", failure("name: a\nname: b\n").getMessage());
        assertTrue(failure("train: {epochs: 1}\ntrain: {epochs: 2}\n").getMessage()
                .startsWith("x.yaml: train: given twice (line 2"), () -> failure("train: {}\ntrain: {}\n").getMessage());
        assertTrue(failure("train:\n  epochs: 1\n  epochs: 2\n").getMessage()
                .startsWith("x.yaml: train.epochs: given twice (line 3"));
    }

    @Test
    void severalDocumentsAreAnError() {
        assertEquals("x.yaml: holds several YAML documents (a second one starts at line 3); expected one",
                failure("name: a\n---\nname: b\n").getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"model: null\n", "data: ~\n"})
    void aSectionSetToNullIsAnError(String yaml) {
        String section = yaml.substring(0, yaml.indexOf(':'));
        assertEquals("x.yaml: " + section + ": found null, expected a section of keys (leave the key out for its"
                + " defaults)", failure(yaml).getMessage());
        assertEquals("x.yaml (--set " + section + "=null): " + section + ": found null, expected a section of keys"
                + " (leave the key out for its defaults)", failure("name: a\n", section + "=null").getMessage());
    }

    @Test
    void aSectionWithNothingAfterItIsAnError() {
        assertEquals("x.yaml: data: found nothing, expected a section of keys (leave the key out for its defaults)",
                failure("name: a\ndata:\n").getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {".nan", ".inf", "-.inf", ".NaN"})
    void aNumberThatIsNotFiniteNamesTheKey(String value) {
        assertEquals("x.yaml: optimizer.lr: found " + value + " (line 1, column 21), expected a finite number",
                failure("optimizer: {lr: " + value + "}").getMessage().replace("column 22", "column 21"));
        assertEquals("x.yaml (--set optimizer.lr=" + value + "): optimizer.lr: found " + value
                + ", expected a finite number", failure("name: a\n", "optimizer.lr=" + value).getMessage());
    }

    @Test
    void aCommandOptionIsNamedAsGiven() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.loadAssigned(QUICKSTART,
                List.of(new ConfigLoader.Assignment("lr_find.steps=0", "--steps 0"))));
        assertEquals(QUICKSTART + " (--steps 0): lr_find.steps: found 0, expected an integer >= 2", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"- 1\n- 2\n", "just text\n", "42\n"})
    void topLevelMustBeAMapping(String yaml) throws IOException {
        Path file = write("list.yaml", yaml);

        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, List.of()));

        assertEquals(file + ": expected a mapping of keys to values at the top level", e.getMessage());
        assertEquals("x.yaml: expected a mapping of keys to values at the top level", failure(yaml).getMessage());
    }

    @Test
    void numberTooLargeForItsKeySaysSo() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigLoader.fromYaml("big.yaml", "train: {epochs: 3000000000}", List.of()));
        org.junit.jupiter.api.Assertions.assertEquals(
                "big.yaml: train.epochs: found 3000000000, expected an integer up to 2147483647", e.getMessage());
    }
}
