package dev.keel.trainer.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.optim.AdamW;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Freezing is real: after optimizer steps, every frozen parameter is bitwise what it was and every
 * trainable one has moved, for a TorchScript body and for Keel's own layers with and without
 * {@code train_bn}.
 */
class FreezingTest {
    private static final Path FIXTURE = Path.of("src/test/resources/dev/keel/trainer/transfer/fmnist5-features.pt");
    private static final Shape IMAGE = new Shape(1, 28, 28);

    /** With train_bn the body trains its statistics; without, it runs in inference mode and still feeds the head. */
    @ParameterizedTest(name = "train_bn {0}")
    @ValueSource(booleans = {true, false})
    void aFrozenTorchScriptBodyStaysBitwiseUnchangedWhileTheHeadTrainsThenItTrainsToo(boolean trainBn) {
        PretrainedSource source = PretrainedSource.locate(cnn(FIXTURE.toString()), "test.yaml");
        try (TransferModel transfer = TransferModel.build(cnn(FIXTURE.toString()), source, null, IMAGE, 5,
                Device.cpu(), "test.yaml")) {
            train(transfer, trainBn, (before, after) -> {
                assertUnchanged(before, after, "body_");
                assertChanged(before, after, "head_");
            });
        }
    }

    @Test
    void keelBatchNormKeepsTrainingInAFrozenBodyWithTrainBn() {
        try (TransferModel transfer = TransferModel.build(cnn(null), null, null, IMAGE, 5, Device.cpu(), "test.yaml")) {
            train(transfer, true, (before, after) -> {
                assertUnchanged(before, after, "body_01Conv2d");
                assertUnchanged(before, after, "body_06Linear");
                assertChanged(before, after, "body_02BatchNorm_gamma");
                assertChanged(before, after, "body_02BatchNorm_runningMean");
                assertChanged(before, after, "head_");
            });
        }
    }

    @Test
    void withoutTrainBnTheFrozenBodyRunsInInferenceModeAndKeepsItsStatistics() {
        try (TransferModel transfer = TransferModel.build(cnn(null), null, null, IMAGE, 5, Device.cpu(), "test.yaml")) {
            train(transfer, false, (before, after) -> {
                assertUnchanged(before, after, "body_");
                assertChanged(before, after, "head_");
            });
        }
    }

    private interface Check {
        void accept(Map<String, float[]> before, Map<String, float[]> after);
    }

    /** Three steps frozen (checked), then three unfrozen: every trainable parameter moves. */
    private static void train(TransferModel transfer, boolean trainBn, Check frozenCheck) {
        try (Model model = Model.newInstance("freezing", Device.cpu());
                AdamW optimizer = new AdamW(model.getNDManager(), 0.01, 0.9, 0.99, 1e-8, 0.01, true)) {
            model.setBlock(transfer.block());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer).optDevices(new Device[] {Device.cpu()}))) {
                trainer.initialize(new Shape(1).addAll(IMAGE));
                List<ParameterGroups.Group> groups = ParameterGroups.of(transfer.block(), List.of(), "test.yaml");
                assertEquals(List.of("body", "head"), groups.stream().map(ParameterGroups.Group::name).toList());
                Freezer freezer = new Freezer(groups, transfer.block(), trainBn);
                freezer.apply(true);
                Map<String, float[]> start = values(transfer);
                steps(trainer, optimizer, 3);
                Map<String, float[]> frozen = values(transfer);
                frozenCheck.accept(start, frozen);
                freezer.apply(false);
                steps(trainer, optimizer, 3);
                Map<String, float[]> unfrozen = values(transfer);
                for (Pair<String, Parameter> parameter : transfer.block().getParameters()) {
                    if (parameter.getValue().requiresGradient()) {
                        assertFalse(Arrays.equals(frozen.get(parameter.getKey()), unfrozen.get(parameter.getKey())),
                                parameter.getKey() + " trains once unfrozen");
                    }
                }
            }
        }
    }

    private static void steps(Trainer trainer, AdamW optimizer, int count) {
        for (int i = 0; i < count; i++) {
            try (NDManager scope = trainer.getManager().newSubManager()) {
                scope.getEngine().setRandomSeed(i);
                NDArray images = scope.randomNormal(new Shape(16).addAll(IMAGE));
                NDArray labels = scope.create(new float[] {0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0});
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDList predictions = trainer.forward(new NDList(images));
                    collector.backward(trainer.getLoss().evaluate(new NDList(labels), predictions));
                }
                optimizer.step(trainer.getModel().getBlock().getParameters());
            }
        }
    }

    private static Map<String, float[]> values(TransferModel transfer) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> parameter : transfer.block().getParameters()) {
            values.put(parameter.getKey(), parameter.getValue().getArray().toFloatArray());
        }
        return values;
    }

    private static void assertUnchanged(Map<String, float[]> before, Map<String, float[]> after, String prefix) {
        int checked = 0;
        for (String name : before.keySet()) {
            if (name.startsWith(prefix)) {
                assertArrayEquals(before.get(name), after.get(name), name + " is frozen: bitwise unchanged");
                checked++;
            }
        }
        assertTrue(checked > 0, "no parameter starts with " + prefix + ": " + before.keySet());
    }

    private static void assertChanged(Map<String, float[]> before, Map<String, float[]> after, String prefix) {
        int checked = 0;
        for (String name : before.keySet()) {
            if (name.startsWith(prefix)) {
                assertFalse(Arrays.equals(before.get(name), after.get(name)), name + " trains");
                checked++;
            }
        }
        assertTrue(checked > 0, "no parameter starts with " + prefix + ": " + before.keySet());
    }

    private static ModelConfig cnn(String pretrained) {
        return new ModelConfig("cnn", List.of(8), List.of(4), 0.0, 20, pretrained, null);
    }
}
