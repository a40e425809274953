package dev.keel.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.model.ModelFactory;
import dev.keel.trainer.optim.AdamW;
import dev.keel.trainer.optim.KeelOptimizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path temp;

    @Test
    void savesAndRestoresWeightsAndOptimizerStateExactly() throws Exception {
        try (Model model = Model.newInstance("ckpt"); KeelOptimizer optimizer = adam(model)) {
            Trainer trainer = trainer(model, optimizer);
            train(trainer, 3);
            CheckpointStore store = new CheckpointStore(temp.resolve("checkpoints"), w -> { });
            Checkpoint saved = store.save(3, model.getBlock(), optimizer, state(Double.NaN), model.getNDManager());
            List<float[]> weights = weights(model.getBlock());

            train(trainer, 2);
            assertFalse(java.util.Arrays.equals(weights.get(0), weights(model.getBlock()).get(0)), "training moved the weights");
            store.restore(store.latest().orElseThrow(), model.getBlock(), optimizer, model.getNDManager());
            List<float[]> restored = weights(model.getBlock());
            for (int i = 0; i < weights.size(); i++) {
                assertArrayEquals(weights.get(i), restored.get(i));
            }
            assertEquals(3, saved.globalStep());
            assertTrue(Files.exists(saved.dir().resolve("manifest.json")));

            // The restored optimizer continues exactly: two more steps from the checkpoint give the same weights twice.
            train(trainer, 2);
            List<float[]> continued = weights(model.getBlock());
            store.restore(store.latest().orElseThrow(), model.getBlock(), optimizer, model.getNDManager());
            train(trainer, 2);
            List<float[]> again = weights(model.getBlock());
            for (int i = 0; i < continued.size(); i++) {
                assertArrayEquals(continued.get(i), again.get(i));
            }
            trainer.close();
        }
    }

    @Test
    void skipsCorruptAndForeignVersionCheckpointsWithAWarning() throws Exception {
        List<String> warnings = new ArrayList<>();
        try (Model model = Model.newInstance("ckpt"); KeelOptimizer optimizer = adam(model)) {
            Trainer trainer = trainer(model, optimizer);
            CheckpointStore store = new CheckpointStore(temp.resolve("checkpoints"), warnings::add);
            for (long step = 1; step <= 3; step++) {
                train(trainer, 1);
                store.save(step, model.getBlock(), optimizer, state(Double.NaN), model.getNDManager());
            }
            Path newest = store.root().resolve("step-00000003/state.json");
            Files.writeString(newest, Files.readString(newest).replace("lr_scale", "lr_scalE"));
            Path middle = store.root().resolve("step-00000002/manifest.json");
            Files.writeString(middle, Files.readString(middle).replace("\"format_version\" : 1", "\"format_version\" : 99"));

            assertEquals(1, store.latest().orElseThrow().globalStep());
            assertEquals(2, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("step-00000003") && warnings.get(0).contains("SHA-256"), warnings.get(0));
            assertTrue(warnings.get(1).contains("format version 99"), warnings.get(1));
            trainer.close();
        }
    }

    @Test
    void anEditedManifestStepIsNotBelieved() throws Exception {
        List<String> warnings = new ArrayList<>();
        try (Model model = Model.newInstance("ckpt"); KeelOptimizer optimizer = adam(model)) {
            Trainer trainer = trainer(model, optimizer);
            CheckpointStore store = new CheckpointStore(temp.resolve("checkpoints"), warnings::add);
            store.save(1, model.getBlock(), optimizer, state(Double.NaN), model.getNDManager());
            store.save(2, model.getBlock(), optimizer, state(Double.NaN), model.getNDManager());
            Path manifest = store.root().resolve("step-00000002/manifest.json");
            Files.writeString(manifest, Files.readString(manifest).replace("\"global_step\" : 2", "\"global_step\" : 9000"));

            assertEquals(1, store.latest().orElseThrow().globalStep());
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains("step-00000002") && warnings.get(0).contains("manifest.json says step 9000"),
                    warnings.get(0));
            trainer.close();
        }
    }

    @Test
    void pruningRemovesCorruptCheckpointsSoTheirWarningIsGivenOnce() throws Exception {
        List<String> warnings = new ArrayList<>();
        try (Model model = Model.newInstance("ckpt"); KeelOptimizer optimizer = adam(model)) {
            Trainer trainer = trainer(model, optimizer);
            CheckpointStore store = new CheckpointStore(temp.resolve("checkpoints"), warnings::add);
            store.save(1, model.getBlock(), optimizer, state(Double.NaN), model.getNDManager());
            Files.delete(store.root().resolve("step-00000001/weights.ndlist"));
            Files.createDirectories(store.root().resolve(".step-00000002.tmp")); // a save cut short by a kill
            for (long step = 2; step <= 4; step++) {
                store.save(step, model.getBlock(), optimizer, state(Double.NaN), model.getNDManager());
                store.prune(3, 0, true);
            }
            assertEquals(List.of(4L, 3L, 2L), store.valid().stream().map(Checkpoint::globalStep).toList());
            assertFalse(Files.exists(store.root().resolve("step-00000001")), "the corrupt checkpoint is gone");
            assertEquals(1, warnings.stream().filter(w -> w.contains("step-00000001") && w.contains("missing")).count(),
                    warnings.toString());
            assertTrue(warnings.contains("removed corrupt checkpoint " + store.root().resolve("step-00000001")),
                    warnings.toString());
            trainer.close();
        }
    }

    @Test
    void prunesToTheNewestAndTheBest() throws Exception {
        try (Model model = Model.newInstance("ckpt"); KeelOptimizer optimizer = adam(model)) {
            Trainer trainer = trainer(model, optimizer);
            CheckpointStore store = new CheckpointStore(temp.resolve("checkpoints"), w -> { });
            double[] metrics = {0.9, 0.3, 0.7, Double.NaN, 0.8, Double.NaN};
            for (int i = 0; i < metrics.length; i++) {
                store.save(i + 1, model.getBlock(), optimizer, state(metrics[i]), model.getNDManager());
                store.prune(2, 1, true);
            }
            List<Long> kept = store.valid().stream().map(Checkpoint::globalStep).toList();
            assertEquals(List.of(6L, 5L, 2L), kept, "the newest two, and step 2 with the lowest loss");
            assertFalse(Files.exists(store.root().resolve(".step-00000006.tmp")), "no temporary folder is left");
            trainer.close();
        }
    }

    private static ObjectNode state(double metric) {
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        state.putObject("position").put("epoch", 0).put("step_in_epoch", 0);
        state.put("epoch_loss_sum", 0).put("epoch_loss_count", 0).put("lr_scale", 1.0);
        if (Double.isNaN(metric)) {
            state.putNull("metric");
        } else {
            state.put("metric", metric);
        }
        state.putObject("callbacks");
        return state;
    }

    private static KeelOptimizer adam(Model model) {
        return new AdamW(model.getNDManager(), 0.01, 0.9, 0.999, 1e-8, 0.01, true);
    }

    private static Trainer trainer(Model model, KeelOptimizer optimizer) {
        ModelConfig config = ConfigLoader.fromYaml("t.yaml", "model: {arch: mlp, hidden: [8], dropout: 0}", List.of())
                .model();
        model.setBlock(ModelFactory.build(config, new Shape(1, 4, 4), 3));
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer));
        trainer.initialize(new Shape(1, 1, 4, 4));
        return trainer;
    }

    private static void train(Trainer trainer, int steps) {
        for (int i = 0; i < steps; i++) {
            try (NDManager scope = trainer.getManager().newSubManager()) {
                NDArray x = scope.arange(64f).reshape(4, 1, 4, 4).div(64f).add(i * 0.01f);
                NDArray y = scope.create(new float[] {0, 1, 2, 1});
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDList out = trainer.forward(new NDList(x));
                    collector.backward(trainer.getLoss().evaluate(new NDList(y), out));
                }
                trainer.step();
            }
        }
    }

    private static List<float[]> weights(Block block) {
        List<float[]> values = new ArrayList<>();
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            values.add(parameter.getValue().getArray().toFloatArray());
        }
        return values;
    }
}
