package dev.keel.trainer.guard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.datasets.ImageDataset;
import dev.keel.datasets.LabeledImages;
import dev.keel.trainer.KeelRun;
import dev.keel.trainer.ParameterBytes;
import dev.keel.trainer.RunFiles;
import dev.keel.trainer.SampleData;
import dev.keel.trainer.TinyTable;
import dev.keel.trainer.checkpoint.Checkpoint;
import dev.keel.trainer.checkpoint.CheckpointCallback;
import dev.keel.trainer.checkpoint.CheckpointStore;
import dev.keel.trainer.cli.KeelCli;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.Fit;
import dev.keel.trainer.fit.FitResult;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.fit.Gradients;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.LoopStates;
import dev.keel.trainer.fit.StatefulCallback;
import dev.keel.trainer.fit.StepGradients;
import dev.keel.trainer.fit.StepResult;
import dev.keel.trainer.model.ModelFactory;
import dev.keel.trainer.optim.KeelOptimizer;
import dev.keel.trainer.optim.Sgd;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The divergence guard: a single loss spike only skips its update, a second in a row or a
 * non-finite loss rolls back to the newest checkpoint with a lower rate, and past
 * {@code guard.max_rollbacks} the run fails cleanly.
 */
class DivergenceGuardTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    /** With the losses read back every 5 steps, the guard sees them after their updates and still rolls back. */
    @ParameterizedTest(name = "train.sync_every_steps={0}")
    @ValueSource(ints = {1, 5})
    void learningRateTenRollsBackThenStopsWithExitCodeThree(int syncEverySteps) throws Exception {
        Path data = SampleData.copyTo(temp.resolve("data"));
        Path config = Files.writeString(temp.resolve("lr10.yaml"), """
                name: lr10
                device: cpu
                data: {path: %s}
                model: {arch: cnn, channels: [16, 32], hidden: [32]}
                optimizer: {name: adamw, lr: 10}
                train: {epochs: 1, log_every_steps: 10, sync_every_steps: %d}
                checkpoint: {every_steps: 10}
                guard: {max_rollbacks: 2, lr_cut: 0.5}
                """.formatted(data, syncEverySteps));
        Path run = temp.resolve("run");
        CommandLine cli = KeelCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("train", config.toString(), "--run-dir", run.toString());

        assertEquals(KeelCli.EXIT_TRAINING_FAILED, exit, err.toString());
        assertTrue(err.toString().startsWith("keel: training failed: diverged"), err.toString());
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("failed", summary.get("status").asText());
        assertTrue(summary.get("reason").asText().contains("after 2 rollback(s)"), summary.toString());

        List<JsonNode> events = Files.readAllLines(run.resolve("metrics.jsonl")).stream().map(DivergenceGuardTest::parse)
                .filter(line -> List.of("rollback", "diverged").contains(line.get("kind").asText())).toList();
        assertEquals(List.of("rollback", "rollback", "diverged"), events.stream().map(e -> e.get("kind").asText()).toList());
        assertEquals(0.5, events.get(0).get("lr_scale").asDouble(), 1e-12);
        assertEquals(0.25, events.get(1).get("lr_scale").asDouble(), 1e-12);
        assertTrue(Files.notExists(run.resolve("model")), "a failed run saves no final model");
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }

    /** One recorded event: its kind and fields. */
    private record Event(String kind, Map<String, ?> fields) {}

    /** A checkpoint as the guard sees it: taken after 4 steps, with 4 losses summing to 2 in its epoch. */
    private Checkpoint checkpointAtStep4() {
        ObjectNode state = JSON.createObjectNode();
        state.putObject("position").put("epoch", 0).put("step_in_epoch", 4);
        state.put("epoch_loss_sum", 2.0).put("epoch_loss_count", 4).put("lr_scale", 1.0);
        return new Checkpoint(temp.resolve("step-00000004"), 4, state);
    }

    /** A guard that rolls back to {@link #checkpointAtStep4}, recording restores and events. */
    private DivergenceGuard guard(double lossFactor, int maxRollbacks, boolean beforeUpdate, List<Event> events,
            List<Checkpoint> restored) {
        Checkpoint checkpoint = checkpointAtStep4();
        return new DivergenceGuard(lossFactor, 0.5, maxRollbacks, () -> Optional.of(checkpoint), c -> {
            restored.add(c);
            return CheckpointCallback.position(c);
        }, (kind, state, fields) -> events.add(new Event(kind, fields)), beforeUpdate);
    }

    /** Sends the guard one step's gradients, of a finite norm, with {@code loss}. */
    private static void step(DivergenceGuard guard, LoopState state, long globalStep, double loss) {
        LoopStates.moveTo(state, 0, (int) globalStep);
        try (Gradients gradients = StepGradients.of(new PairList<>(), loss)) {
            guard.onGradients(state, gradients);
        }
    }

    @Test
    void aSingleSpikeOnlySkipsItsUpdateAndASecondInARowRollsBack() {
        List<Event> events = new ArrayList<>();
        List<Checkpoint> restored = new ArrayList<>();
        DivergenceGuard guard = guard(10, 3, true, events, restored);
        LoopState state = new LoopState(1, 20, 8);
        for (int i = 0; i < 6; i++) {
            step(guard, state, i, 1.0); // the best smoothed loss becomes 1
        }
        step(guard, state, 6, 9.5);
        assertEquals(List.of(), events, "9.5 is not above 10x the best smoothed loss of 1");
        assertFalse(LoopStates.takeSkipUpdate(state));

        step(guard, state, 7, 25.0);
        assertEquals(List.of(new Event("spike", Map.of("reason", "loss 25.00 above 10x the best smoothed loss 1.000"))),
                events);
        assertTrue(LoopStates.takeSkipUpdate(state), "the spiking step's update is skipped");
        assertNull(LoopStates.takeJump(state), "a single spike does not roll back");
        assertEquals(List.of(), restored);

        step(guard, state, 8, 1.0); // a sound step in between: the next spike is single again
        step(guard, state, 9, 25.0);
        assertEquals(List.of("spike", "spike"), events.stream().map(Event::kind).toList());
        assertTrue(LoopStates.takeSkipUpdate(state));
        assertEquals(0, guard.saveState().get("rollbacks").asInt());

        step(guard, state, 10, 30.0);
        assertEquals(List.of("spike", "spike", "rollback"), events.stream().map(Event::kind).toList());
        Map<String, ?> rollback = events.get(2).fields();
        assertEquals(4L, ((Number) rollback.get("to_step")).longValue());
        assertEquals(0.5, ((Number) rollback.get("lr_scale")).doubleValue(), 0);
        assertEquals(1, ((Number) rollback.get("rollbacks")).intValue());
        assertTrue(rollback.get("reason").toString().startsWith("loss 30.00 above 10x the best smoothed loss"),
                rollback.toString());
        assertEquals(1, restored.size());
        assertEquals(new LoopState.Position(0, 4), LoopStates.takeJump(state), "on from the checkpoint's position");
        assertEquals(0.5, state.learningRateScale(), 0, "guard.lr_cut");
        assertEquals(2.0, state.epochLossSum(), 0, "the epoch's running loss as the checkpoint had it");
        assertEquals(4, state.epochLossCount());
        assertEquals(1, guard.saveState().get("rollbacks").asInt());
    }

    @Test
    void checkedAfterTheUpdateASpikeIsOnlyRecordedAndASecondInARowRollsBack() {
        List<Event> events = new ArrayList<>();
        List<Checkpoint> restored = new ArrayList<>();
        DivergenceGuard guard = guard(10, 3, false, events, restored);
        LoopState state = new LoopState(1, 20, 8);
        for (int i = 0; i < 4; i++) {
            LoopStates.moveTo(state, 0, i);
            guard.onStepEnd(state, new StepResult(1.0, 8, 0.01));
        }
        LoopStates.moveTo(state, 0, 4);
        guard.onStepEnd(state, new StepResult(50.0, 8, 0.01));
        assertEquals(List.of("spike"), events.stream().map(Event::kind).toList());
        assertFalse(LoopStates.takeSkipUpdate(state), "the update ran already: nothing to skip");
        LoopStates.moveTo(state, 0, 5);
        guard.onStepEnd(state, new StepResult(50.0, 8, 0.01));
        assertEquals(List.of("spike", "rollback"), events.stream().map(Event::kind).toList());
        assertEquals(new LoopState.Position(0, 4), LoopStates.takeJump(state));
        assertEquals(1, restored.size());
    }

    @Test
    void aNonFiniteLossRollsBackAtOnceAndLossFactorZeroTurnsOnlyTheSpikeCheckOff() {
        List<Event> events = new ArrayList<>();
        List<Checkpoint> restored = new ArrayList<>();
        DivergenceGuard guard = guard(0, 3, true, events, restored);
        LoopState state = new LoopState(1, 20, 8);
        step(guard, state, 0, 1.0);
        step(guard, state, 1, 1e6);
        assertEquals(List.of(), events, "guard.loss_factor 0: no loss is too high");
        assertFalse(LoopStates.takeSkipUpdate(state));
        step(guard, state, 2, Double.NaN);
        assertEquals(List.of("rollback"), events.stream().map(Event::kind).toList(), "no single-spike grace for NaN");
        assertEquals("loss NaN", events.get(0).fields().get("reason"));
        assertEquals(new LoopState.Position(0, 4), LoopStates.takeJump(state));
    }

    @Test
    void withNoRollbacksLeftTheNextDivergenceFailsTheRunAndSaysWhy() {
        List<Event> events = new ArrayList<>();
        List<Checkpoint> restored = new ArrayList<>();
        DivergenceGuard guard = guard(10, 0, true, events, restored);
        LoopState state = new LoopState(1, 20, 8);
        step(guard, state, 0, 1.0);
        step(guard, state, 1, 20.0);
        step(guard, state, 2, 20.0);
        assertEquals(List.of("spike", "diverged"), events.stream().map(Event::kind).toList());
        assertEquals(List.of(), restored);
        assertEquals(FitStatus.FAILED, state.stopStatus());
        assertTrue(events.get(1).fields().get("reason").toString().matches(
                "diverged: loss 20\\.00 above 10x the best smoothed loss 1\\.000 at step 3 after 0 rollback\\(s\\)"
                        + " \\(guard.max_rollbacks\\)"), events.toString());
    }

    /**
     * In the loop: a NaN planted in one step's gradients makes the guard roll back, and the next step
     * starts from the newest checkpoint's weights, bit for bit; the run then completes.
     */
    @Test
    void aRollbackRestoresTheNewestCheckpointsWeightsBitwiseAndTheRunGoesOnFromThere() throws Exception {
        ImageDataset train = ImageDataset.builder(twoClasses(96, 5)).build(); // 6 steps of 16 per epoch
        CheckpointStore store = new CheckpointStore(temp.resolve("checkpoints"), warning -> { });
        try (Model model = Model.newInstance("rollback-test");
                KeelOptimizer optimizer = new Sgd(model.getNDManager(), 0.1, 0.9, false, 0)) {
            model.setBlock(ModelFactory.build(ConfigLoader.fromYaml("t.yaml",
                    "model: {arch: mlp, hidden: [16], dropout: 0}", List.of()).model(), new Shape(1, 4, 4), 2));
            try (Trainer trainer = model.newTrainer(
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer))) {
                trainer.initialize(new Shape(1, 1, 4, 4));
                Block block = model.getBlock();
                List<String> events = new ArrayList<>();
                DivergenceGuard guard = new DivergenceGuard(10, 0.5, 1, store::latest, checkpoint -> {
                    store.restore(checkpoint, block, optimizer, model.getNDManager());
                    return CheckpointCallback.position(checkpoint);
                }, (kind, state, fields) -> events.add(kind), true);
                List<StatefulCallback> stateful = List.of(guard);
                Checkpoint[] newest = new Checkpoint[1];
                Map<String, byte[]> restoredWeights = new HashMap<>();
                List<Long> steps = new ArrayList<>();
                Callback saboteurAndProbe = new Callback() {
                    @Override
                    public void onStepBegin(LoopState state) {
                        steps.add(state.globalStep());
                        if (newest[0] != null && restoredWeights.isEmpty()) {
                            restoredWeights.putAll(ParameterBytes.of(block));
                        }
                    }

                    @Override
                    public void onGradients(LoopState state, Gradients gradients) {
                        if (state.globalStep() == 9 && newest[0] == null) {
                            newest[0] = store.latest().orElseThrow();
                            try (NDArray gradient = block.getParameters().valueAt(0).getArray().getGradient()) {
                                gradient.set(new NDIndex(0), Float.NaN);
                            }
                        }
                    }
                };
                FitResult result = new Fit(trainer, optimizer, train, null, new Fit.Settings(2, 16, 16, 3), List.of(
                        saboteurAndProbe, guard, new CheckpointCallback(store, block, optimizer, model.getNDManager(),
                                new CheckpointCallback.Settings(4, 10, 0, "valid_loss"), stateful, true))).run();

                assertEquals(FitStatus.COMPLETED, result.status(), result.reason());
                assertEquals(List.of("rollback"), events);
                assertEquals(8, newest[0].globalStep(), "checkpoints at 0, 4, 6 (epoch end) and 8");
                assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 8L, 9L, 10L, 11L), steps,
                        "step 9 is taken again from step 8's checkpoint");
                try (NDManager manager = NDManager.newBaseManager()) {
                    Path file = newest[0].dir().resolve("weights.ndlist");
                    NDList saved = NDList.decode(manager, Files.readAllBytes(file));
                    assertEquals(block.getParameters().size(), saved.size());
                    for (NDArray array : saved) {
                        assertArrayEquals(ParameterBytes.of(array), restoredWeights.get(array.getName()),
                                array.getName());
                    }
                }
            }
        }
    }

    /** Two classes told apart by the brightness of the image's left half, 4x4 pixels. */
    private static LabeledImages twoClasses(int count, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * 16];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) random.nextInt(2);
            for (int p = 0; p < 16; p++) {
                int base = (p % 4 < 2 && labels[i] == 1) ? 160 : 40;
                pixels[i * 16 + p] = (byte) (base + random.nextInt(60));
            }
        }
        return new LabeledImages("two-classes", pixels, labels, 1, 4, 4, 2);
    }

    /**
     * A rate of 8 blows the loss up within the first epoch; the guard rolls back once, to the
     * checkpoint at the start, and cuts the rate by 2^-10; the run then completes. Its weights end
     * bit for bit as those of a run trained at 8 x 2^-10 from the start (a power of two scales every
     * rate exactly): the rollback restored the weights and the optimizer exactly.
     */
    @Test
    void aRunThatDivergesOnceRollsBackOnceAndCompletesAsIfTrainedAtTheCutRate() throws Exception {
        Path table = TinyTable.write(temp.resolve("table.csv"), 400, 1);
        // Checkpoints only at the start and at each epoch's end.
        String common = "train: {epochs: 2, log_every_steps: 3}\ncheckpoint: {every_steps: 100}\n";
        Path diverging = temp.resolve("diverging");
        KeelRun run = KeelRun.of("train", Files.writeString(temp.resolve("lr8.yaml"), TinyTable.config("lr8", table,
                common + "optimizer: {lr: 8}\nguard: {lr_cut: 0.0009765625, max_rollbacks: 1}\n")).toString(),
                "--run-dir", diverging.toString());

        assertEquals(0, run.exit(), run.output());
        JsonNode summary = RunFiles.summary(diverging);
        assertEquals("completed", summary.get("status").asText(), summary.toString());
        assertEquals(18, summary.get("steps").asLong());
        List<JsonNode> rollbacks = RunFiles.metrics(diverging, "rollback");
        assertEquals(1, rollbacks.size(), rollbacks.toString());
        assertEquals(0, rollbacks.get(0).get("to_step").asLong(), rollbacks.toString());
        assertEquals(0.0009765625, rollbacks.get(0).get("lr_scale").asDouble(), 0);
        assertEquals(1, rollbacks.get(0).get("rollbacks").asInt());
        assertEquals(List.of(), RunFiles.metrics(diverging, "diverged"));
        assertEquals(2, RunFiles.metrics(diverging, "epoch").size(), "each epoch logged once");

        Path steady = temp.resolve("steady");
        KeelRun cut = KeelRun.of("train", Files.writeString(temp.resolve("cut.yaml"), TinyTable.config("cut", table,
                common + "optimizer: {lr: 0.0078125}\n")).toString(), "--run-dir", steady.toString());
        assertEquals(0, cut.exit(), cut.output());
        assertEquals(List.of(), RunFiles.metrics(steady, "rollback"));
        assertArrayEquals(Files.readAllBytes(steady.resolve("model/model-0002.params")),
                Files.readAllBytes(diverging.resolve("model/model-0002.params")), "final weights");
    }
}
