package dev.keel.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigValidationTest {
    private static final String FILE = "bad.yaml";

    private static ConfigException failure(String yaml, String... overrides) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.fromYaml(FILE, yaml, List.of(overrides)));
        assertFalse(e.getMessage().contains("\n"), () -> "message spans lines: " + e.getMessage());
        return e;
    }

    private static void assertStartsWith(String prefix, String message) {
        assertTrue(message.startsWith(prefix), () -> "expected a message starting with\n  " + prefix + "\nbut got\n  "
                + message);
    }

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of("name: bad name", "name", "\"bad name\""),
                Arguments.of("name: null", "name", "null"),
                Arguments.of("name: ''", "name", "\"\""),
                Arguments.of("device: tpu", "device", "\"tpu\""),
                Arguments.of("device: 'gpu:'", "device", "\"gpu:\""),
                Arguments.of("data: {format: parquet}", "data.format", "\"parquet\""),
                Arguments.of("data: {format: null}", "data.format", "null"),
                Arguments.of("data: {dataset: null}", "data.dataset", "null"),
                Arguments.of("data: {dataset: null, path: null}", "data.dataset", "null"),
                Arguments.of("data: {batch_size: 0}", "data.batch_size", "0"),
                Arguments.of("data: {eval_batch_size: -1}", "data.eval_batch_size", "-1"),
                Arguments.of("data: {valid_fraction: 1}", "data.valid_fraction", "1.0"),
                Arguments.of("data: {valid_fraction: -0.1}", "data.valid_fraction", "-0.1"),
                Arguments.of("data: {normalize: bad}", "data.normalize", "\"bad\""),
                Arguments.of("data: {normalize: null}", "data.normalize", "null"),
                Arguments.of("data: {normalize: [0.5]}", "data.normalize", "[0.5]"),
                Arguments.of("data: {normalize: [0.5, 0.2, 0.1]}", "data.normalize", "[0.5,0.2,0.1]"),
                Arguments.of("data: {normalize: [0.5, 0]}", "data.normalize", "[0.5,0]"),
                Arguments.of("data: {normalize: [0.5, -0.2]}", "data.normalize", "[0.5,-0.2]"),
                Arguments.of("data: {normalize: [a, 0.2]}", "data.normalize", "[\"a\",0.2]"),
                Arguments.of("model: {arch: transformer}", "model.arch", "\"transformer\""),
                Arguments.of("model: {hidden: null}", "model.hidden", "null"),
                Arguments.of("model: {hidden: [128, 0]}", "model.hidden[1]", "0"),
                Arguments.of("model: {hidden: [null]}", "model.hidden[0]", "null"),
                Arguments.of("model: {channels: []}", "model.channels", "[]"),
                Arguments.of("model: {channels: null}", "model.channels", "null"),
                Arguments.of("model: {channels: [32, -4]}", "model.channels[1]", "-4"),
                Arguments.of("model: {dropout: 1}", "model.dropout", "1.0"),
                Arguments.of("model: {dropout: -0.5}", "model.dropout", "-0.5"),
                Arguments.of("model: {layers: 18}", "model.layers", "18"),
                Arguments.of("optimizer: {name: rmsprop}", "optimizer.name", "\"rmsprop\""),
                Arguments.of("optimizer: {lr: 0}", "optimizer.lr", "0.0"),
                Arguments.of("optimizer: {lr: -0.1}", "optimizer.lr", "-0.1"),
                Arguments.of("optimizer: {weight_decay: -0.01}", "optimizer.weight_decay", "-0.01"),
                Arguments.of("optimizer: {momentum: 1.0}", "optimizer.momentum", "1.0"),
                Arguments.of("optimizer: {momentum: -0.9}", "optimizer.momentum", "-0.9"),
                Arguments.of("optimizer: {name: sgd, momentum: 0, nesterov: true}", "optimizer.nesterov", "true"),
                Arguments.of("optimizer: {beta1: 1.0}", "optimizer.beta1", "1.0"),
                Arguments.of("optimizer: {beta2: -0.5}", "optimizer.beta2", "-0.5"),
                Arguments.of("optimizer: {eps: 0}", "optimizer.eps", "0.0"),
                Arguments.of("schedule: {name: linear}", "schedule.name", "\"linear\""),
                Arguments.of("schedule: {pct_start: 0}", "schedule.pct_start", "0.0"),
                Arguments.of("schedule: {pct_start: 1}", "schedule.pct_start", "1.0"),
                Arguments.of("schedule: {div: 0.5}", "schedule.div", "0.5"),
                Arguments.of("schedule: {div_final: 0.9}", "schedule.div_final", "0.9"),
                Arguments.of("schedule: {momentum_max: 1.0}", "schedule.momentum_max", "1.0"),
                Arguments.of("schedule: {momentum_min: 0.96}", "schedule.momentum_min", "0.96"),
                Arguments.of("schedule: {momentum_min: -0.1}", "schedule.momentum_min", "-0.1"),
                Arguments.of("schedule: {warmup_fraction: 1.0}", "schedule.warmup_fraction", "1.0"),
                Arguments.of("schedule: {step_epochs: 0}", "schedule.step_epochs", "0"),
                Arguments.of("schedule: {gamma: 0}", "schedule.gamma", "0.0"),
                Arguments.of("schedule: {gamma: 1.5}", "schedule.gamma", "1.5"),
                Arguments.of("train: {epochs: -1}", "train.epochs", "-1"),
                Arguments.of("train: {log_every_steps: 0}", "train.log_every_steps", "0"),
                Arguments.of("train: {sync_every_steps: 0}", "train.sync_every_steps", "0"),
                Arguments.of("train: {sync_every_steps: 30}", "checkpoint.every_steps", "200"),
                Arguments.of("train: {precision: fp8}", "train.precision", "\"fp8\""),
                Arguments.of("train: {precision: bf16}", "train.precision", "\"bf16\""),
                Arguments.of("train: {loss_scale: 0.5}", "train.loss_scale", "0.5"),
                Arguments.of("train: {loss_scale: 1.0e31}", "train.loss_scale", "1.0E31"),
                Arguments.of("train: {epochs: 0}", "train.epochs", "0"),
                Arguments.of("finetune: {freeze_epochs: 0}\ntrain: {epochs: 0}", "train.epochs", "0"),
                Arguments.of("finetune: {freeze_epochs: -1}", "finetune.freeze_epochs", "-1"),
                Arguments.of("finetune: {lr_mult: 0.5}", "finetune.lr_mult", "0.5"),
                Arguments.of("finetune: {pct_start: 1}", "finetune.pct_start", "1.0"),
                Arguments.of("finetune: {div: 0}", "finetune.div", "0.0"),
                Arguments.of("finetune: {groups: [head]}", "finetune.groups", "[head]"),
                Arguments.of("finetune: {groups: [body, body]}", "finetune.groups[1]", "\"body\""),
                Arguments.of("finetune: {groups: ['', head]}", "finetune.groups[0]", "\"\""),
                Arguments.of("finetune: 3", "finetune", "3"),
                Arguments.of("model: {pretrained: ' '}", "model.pretrained", "\" \""),
                Arguments.of("model: {cut: 0}", "model.cut", "0"),
                Arguments.of("interpret: {top_losses: -1}", "interpret.top_losses", "-1"),
                Arguments.of("interpret: {review_below: 1.5}", "interpret.review_below", "1.5"),
                Arguments.of("lr_find: {start_lr: 0}", "lr_find.start_lr", "0.0"),
                Arguments.of("lr_find: {start_lr: 1.0e-3, end_lr: 1.0e-4}", "lr_find.end_lr", "1.0E-4"),
                Arguments.of("lr_find: {steps: 1}", "lr_find.steps", "1"),
                Arguments.of("lr_find: {suggestion: median}", "lr_find.suggestion", "\"median\""));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("outOfRange")
    void outOfRangeValueNamesFileKeyAndValue(String yaml, String key, String found) {
        String message = failure(yaml).getMessage();

        assertStartsWith(FILE + ": " + key + ": found " + found + ", expected ", message);
        assertTrue(message.length() > (FILE + ": " + key + ": found " + found + ", expected ").length(), message);
    }

    @Test
    void aFinetuneSectionAloneMeansFastaisRecipeAndALinearProbeNeedsNoUnfrozenEpochs() {
        RunConfig recipe = ConfigLoader.fromYaml(FILE, "finetune:\n", List.of());
        assertEquals(new FinetuneConfig(1, 100.0, 0.3, 5.0, List.of(), true), recipe.finetune());
        assertEquals(6, recipe.totalEpochs(), "1 frozen epoch, then train.epochs (5)");
        RunConfig probe = ConfigLoader.fromYaml(FILE, "finetune: {freeze_epochs: 20}\ntrain: {epochs: 0}\n", List.of());
        assertEquals(20, probe.totalEpochs());
        assertEquals(null, ConfigLoader.fromYaml(FILE, "", List.of()).finetune(), "no section, no fine-tuning");
        RunConfig set = ConfigLoader.fromYaml(FILE, "", List.of("finetune.lr_mult=10"));
        assertEquals(10.0, set.finetune().lrMult(), "--set creates the section over its defaults");
        assertEquals(1, set.finetune().freezeEpochs());
        assertEquals(null, ConfigLoader.fromYaml(FILE, "finetune: {}\n", List.of("finetune=null")).finetune(),
                "--set finetune=null turns it off");
        RunConfig reread = ConfigLoader.fromYaml(FILE, ConfigLoader.toYaml(probe), List.of());
        assertEquals(probe, reread, "config.yaml reads back to the same config");
    }

    @Test
    void everySuggestionTheConfigAcceptsIsOneTheFinderKnows() {
        assertEquals(LrFindConfig.SUGGESTIONS, dev.keel.trainer.lrfind.LrSuggestion.labels());
    }

    @Test
    void messageMatchesTheDocumentedForm() {
        assertEquals("bad.yaml: train.epochs: found -1, expected an integer >= 1",
                failure("train:\n  epochs: -1\n").getMessage());
    }

    @Test
    void messageSaysWhatIsAllowed() {
        assertEquals("bad.yaml: model.layers: found 18, expected one of [20, 32, 44, 56, 110]",
                failure("model: {layers: 18}").getMessage());
        assertEquals("bad.yaml: optimizer.name: found \"rmsprop\", expected one of sgd, adam, adamw",
                failure("optimizer: {name: rmsprop}").getMessage());
        assertEquals("bad.yaml: data.normalize: found \"bad\", expected auto, none, or [mean, std] with std > 0",
                failure("data: {normalize: bad}").getMessage());
    }

    /** The edge of each allowed range is allowed, and kept as written. */
    @Test
    void validEdgeValuesPass() {
        RunConfig config = ConfigLoader.fromYaml(FILE, """
                name: a.b_c-1
                device: gpu:12
                data: {dataset: null, path: /data, valid_fraction: 0, normalize: [0, 1]}
                model: {hidden: [], channels: [1], dropout: 0, layers: 110}
                optimizer: {name: sgd, lr: 1.0e-9, weight_decay: 0, momentum: 0, beta1: 0, beta2: 0}
                schedule: {name: step, pct_start: 0.99, div: 1, div_final: 1, momentum_max: 0, momentum_min: 0,
                           warmup_fraction: 0, step_epochs: 1, gamma: 1}
                train: {epochs: 1, log_every_steps: 1}
                """, List.of());
        assertEquals("a.b_c-1", config.name());
        assertEquals("gpu:12", config.device());
        assertEquals(null, config.data().dataset());
        assertEquals("/data", config.data().path());
        assertEquals(0, config.data().validFraction(), 0);
        assertEquals("[0,1]", config.data().normalize().toString());
        assertEquals(new ModelConfig("cnn", List.of(), List.of(1), 0, 110), config.model());
        assertEquals("sgd", config.optimizer().name());
        assertEquals(1.0e-9, config.optimizer().lr().value(), 0);
        assertEquals(List.of(0.0, 0.0, 0.0, 0.0), List.of(config.optimizer().weightDecay(),
                config.optimizer().momentum(), config.optimizer().beta1(), config.optimizer().beta2()));
        assertEquals("step", config.schedule().name());
        assertEquals(List.of(0.99, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0), List.of(config.schedule().pctStart(),
                config.schedule().div(), config.schedule().divFinal(), config.schedule().momentumMax(),
                config.schedule().momentumMin(), config.schedule().warmupFraction(), config.schedule().gamma()));
        assertEquals(1, config.schedule().stepEpochs());
        assertEquals(new TrainConfig(1, 1), config.train());

        RunConfig nesterov = ConfigLoader.fromYaml(FILE, "optimizer: {momentum: 0.5, nesterov: true}\n"
                + "data: {normalize: none}\n", List.of());
        assertTrue(nesterov.optimizer().nesterov());
        assertEquals(0.5, nesterov.optimizer().momentum(), 0);
        assertEquals("\"none\"", nesterov.data().normalize().toString());
    }

    static Stream<Arguments> wrongType() {
        return Stream.of(
                Arguments.of("train: {epochs: five}", "train.epochs", "\"five\"", "an integer"),
                Arguments.of("train: {epochs: 2.5}", "train.epochs", "2.5", "an integer"),
                Arguments.of("train: {epochs: '5'}", "train.epochs", "\"5\"", "an integer"),
                Arguments.of("model: {layers: 20.0}", "model.layers", "20.0", "an integer"),
                Arguments.of("model: {hidden: [1.5]}", "model.hidden[0]", "1.5", "an integer"),
                Arguments.of("optimizer: {nesterov: maybe}", "optimizer.nesterov", "\"maybe\"", "true or false"),
                Arguments.of("optimizer: {nesterov: 1}", "optimizer.nesterov", "1", "true or false"),
                Arguments.of("optimizer: {lr: fast}", "optimizer.lr", "\"fast\"", "a number > 0, or auto"),
                Arguments.of("optimizer: {lr: null}", "optimizer.lr", "null", "a number > 0, or auto"),
                Arguments.of("model: {channels: 5}", "model.channels", "5", "a list such as [32, 64]"),
                Arguments.of("model: {channels: {a: 1}}", "model.channels", "a section of keys",
                        "a list such as [32, 64]"),
                Arguments.of("name: [a, b]", "name", "[\"a\",\"b\"]", "a single value"),
                Arguments.of("data: 3", "data", "3", "a section of keys"),
                Arguments.of("train: [1]", "train", "[1]", "a section of keys"),
                Arguments.of("seed: null", "seed", "null", "an integer"),
                Arguments.of("seed: abc", "seed", "\"abc\"", "an integer"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("wrongType")
    void wrongTypeNamesFileKeyValueAndKind(String yaml, String key, String found, String expected) {
        assertEquals(FILE + ": " + key + ": found " + found + ", expected " + expected, failure(yaml).getMessage());
    }

    static Stream<Arguments> unknownKeys() {
        return Stream.of(
                Arguments.of("epocs: 3", "epocs",
                        "checkpoint, data, device, early_stopping, finetune, guard, interpret, lr_find, model, name, optimizer, schedule, seed, train"),
                Arguments.of("train: {epocs: 3}", "train.epocs",
                        "epochs, log_every_steps, loss_scale, precision, sync_every_steps"),
                Arguments.of("data: {batchsize: 3}", "data.batchsize",
                        "augment, bad_items, batch_size, cache, channels, columns, dataset, delimiter, eval_batch_size, format, "
                                + "image_size, label_column, normalize, path, test_fraction, valid_fraction"),
                Arguments.of("model: {depth: 3}", "model.depth", "arch, channels, cut, dropout, hidden, layers, pretrained"),
                Arguments.of("optimizer: {learning_rate: 3}", "optimizer.learning_rate",
                        "beta1, beta2, eps, lr, momentum, name, nesterov, weight_decay"),
                Arguments.of("schedule: {pctStart: 0.3}", "schedule.pctStart",
                        "cycle_momentum, div, div_final, gamma, momentum_max, momentum_min, name, pct_start, "
                                + "step_epochs, warmup_fraction"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("unknownKeys")
    void unknownKeyListsTheKnownKeys(String yaml, String key, String known) {
        assertEquals(FILE + ": " + key + ": unknown key (expected one of " + known + ")", failure(yaml).getMessage());
    }

    static Stream<Arguments> fromOverrides() {
        return Stream.of(
                Arguments.of("", "train.epochs=0", "bad.yaml (--set train.epochs=0): train.epochs: found 0, expected "),
                Arguments.of("train: {epochs: 3}", "train.epochs=-2",
                        "bad.yaml (--set train.epochs=-2): train.epochs: found -2, expected "),
                Arguments.of("", "train.epochs=five",
                        "bad.yaml (--set train.epochs=five): train.epochs: found \"five\", expected an integer"),
                Arguments.of("", "train.epochs=2.5",
                        "bad.yaml (--set train.epochs=2.5): train.epochs: found 2.5, expected an integer"),
                Arguments.of("", "model.hidden=[0]", "bad.yaml (--set model.hidden=[0]): model.hidden[0]: found 0, "),
                Arguments.of("", "model.channels=[]", "bad.yaml (--set model.channels=[]): model.channels: found [], "),
                Arguments.of("", "train={epochs: 0}", "bad.yaml (--set train={epochs: 0}): train.epochs: found 0, "),
                Arguments.of("", "data.dataset=null", "bad.yaml (--set data.dataset=null): data.dataset: found null, "),
                Arguments.of("", "data.normalize=[1, 0]",
                        "bad.yaml (--set data.normalize=[1, 0]): data.normalize: found [1,0], "),
                Arguments.of("", "device=tpu", "bad.yaml (--set device=tpu): device: found \"tpu\", "),
                Arguments.of("", "data=3", "bad.yaml (--set data=3): data: found 3, expected a section of keys"),
                Arguments.of("", "train.epocs=3", "bad.yaml (--set train.epocs=3): train.epocs: unknown key "),
                Arguments.of("", "bogus=1", "bad.yaml (--set bogus=1): bogus: unknown key "),
                Arguments.of("", "bogus.x=1", "bad.yaml (--set bogus.x=1): bogus: unknown key "),
                Arguments.of("", "seed.x=1", "bad.yaml (--set seed.x=1): seed: found a section of keys, "));
    }

    @ParameterizedTest(name = "--set {1}")
    @MethodSource("fromOverrides")
    void errorFromAnOverrideMentionsIt(String yaml, String override, String prefix) {
        assertStartsWith(prefix, failure(yaml, override).getMessage());
    }

    @Test
    void errorInTheFileIsNotBlamedOnAnUnrelatedOverride() {
        String message = failure("train: {epochs: 0}", "seed=1", "train.log_every_steps=5").getMessage();

        assertEquals("bad.yaml: train.epochs: found 0, expected an integer >= 1", message);
    }

    @Test
    void overrideIsNotBlamedForASiblingKeyWithTheSamePrefix() {
        String message = failure("schedule: {div_final: 0.5}", "schedule.div=5").getMessage();

        assertEquals("bad.yaml: schedule.div_final: found 0.5, expected a number >= 1", message);
    }

    @Test
    void messageFromAFileStartsWithItsPath(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("run.yaml"), "optimizer:\n  lr: -1\n");

        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(file, List.of("train.epochs=3")));

        assertEquals(file + ": optimizer.lr: found -1.0, expected a number > 0", e.getMessage());
    }
}
