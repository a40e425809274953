package dev.keel.trainer.lrfind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.keel.datasets.ImageDataset;
import dev.keel.datasets.LabeledImages;
import dev.keel.trainer.ParameterBytes;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.Fit;
import dev.keel.trainer.fit.FitResult;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.Phase;
import dev.keel.trainer.fit.StepResult;
import dev.keel.trainer.model.ModelFactory;
import dev.keel.trainer.model.ParameterNames;
import dev.keel.trainer.model.WeightSnapshot;
import dev.keel.trainer.optim.AdamW;
import dev.keel.trainer.optim.KeelOptimizer;
import dev.keel.trainer.optim.OptimizerState;
import dev.keel.trainer.optim.Sgd;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The finder on a small CNN (convolution, batch norm, dropout) and two learnable classes of 8x8 images. */
class LrFinderTest {
    private static final long SEED = 3;

    @Test
    void sweepLeavesWeightsBatchNormStatisticsAndOptimizerStateBitIdentical() {
        ImageDataset train = ImageDataset.builder(images(96, 1)).build();
        try (Rig rig = Rig.of("adamw")) {
            // Warm up, so the optimizer holds moments and step counts and batch norm's statistics moved.
            rig.optimizer.setLearningRate(0.002);
            rig.optimizer.setMomentum(0.87);
            rig.fit(train, 1, List.of());
            Map<String, byte[]> weightsBefore = ParameterBytes.of(rig.block());
            assertTrue(weightsBefore.keySet().stream().anyMatch(name -> name.contains("running")),
                    "batch norm's running statistics are compared: " + weightsBefore.keySet());
            try (NDManager manager = NDManager.newBaseManager()) {
                OptimizerState stateBefore = rig.optimizer.exportState(ParameterNames.byId(rig.block()), manager);
                assertFalse(stateBefore.arrays().isEmpty());
                assertFalse(stateBefore.steps().isEmpty());

                LrFinderResult result = LrFinder.sweep(rig.trainer, rig.optimizer, train, 16, SEED,
                        new LrFinder.Settings(1e-4, 10, 40), null, false);
                assertTrue(result.steps() >= 10, "the sweep trained: " + result.steps() + " steps");

                Map<String, byte[]> weightsAfter = ParameterBytes.of(rig.block());
                assertEquals(weightsBefore.keySet(), weightsAfter.keySet());
                weightsBefore.forEach((name, bytes) -> assertArrayEquals(bytes, weightsAfter.get(name), name));
                OptimizerState stateAfter = rig.optimizer.exportState(ParameterNames.byId(rig.block()), manager);
                assertEquals(stateBefore.steps(), stateAfter.steps());
                assertEquals(stateBefore.learningRate(), stateAfter.learningRate(), 0);
                assertEquals(stateBefore.momentum(), stateAfter.momentum(), 0);
                assertEquals(stateBefore.arrays().size(), stateAfter.arrays().size());
                for (int i = 0; i < stateBefore.arrays().size(); i++) {
                    NDArray before = stateBefore.arrays().get(i);
                    NDArray after = stateAfter.arrays().get(i);
                    assertEquals(before.getName(), after.getName());
                    assertArrayEquals(before.toFloatArray(), after.toFloatArray(), before.getName());
                    assertArrayEquals(ParameterBytes.of(before), ParameterBytes.of(after), before.getName());
                }
            }
        }
    }

    @Test
    void trainingAfterASweepIsExactlyTrainingWithoutOne() {
        ImageDataset train = ImageDataset.builder(images(96, 2)).build();
        try (Rig swept = Rig.of("sgd"); Rig plain = Rig.of("sgd"); NDManager manager = NDManager.newBaseManager()) {
            WeightSnapshot.restore(plain.block(), WeightSnapshot.take(swept.block(), manager));
            LrFinderResult result = LrFinder.sweep(swept.trainer, swept.optimizer, train, 16, SEED,
                    new LrFinder.Settings(1e-3, 100, 30), null, false);
            assertTrue(result.steps() > 5);

            // The same steps on both: if DJL's trainer had lost track of the restored arrays, or any
            // state of the sweep leaked, the losses would part.
            List<Double> sweptLosses = swept.fit(train, 2, List.of());
            List<Double> plainLosses = plain.fit(train, 2, List.of());
            assertEquals(plainLosses, sweptLosses);
            Map<String, byte[]> plainWeights = ParameterBytes.of(plain.block());
            ParameterBytes.of(swept.block())
                    .forEach((name, bytes) -> assertArrayEquals(plainWeights.get(name), bytes, name));
        }
    }

    @Test
    void ratesGrowExponentiallyAndTheSweepStopsOnceTheSmoothedLossPassesFourTimesItsBest() {
        ImageDataset train = ImageDataset.builder(images(96, 3)).build();
        LrFinder.Settings settings = new LrFinder.Settings(1e-3, 1e4, 60);
        List<Double> applied = new ArrayList<>();
        Callback optimizerRates = new Callback() {
            @Override
            public Phase phase() {
                return Phase.REPORT;
            }

            @Override
            public void onStepEnd(LoopState state, StepResult step) {
                applied.add(state.learningRate());
            }
        };
        try (Rig rig = Rig.of("sgd")) {
            Map<String, byte[]> before = ParameterBytes.of(rig.block());
            LrFinder finder = new LrFinder(settings, rig.optimizer);
            FitResult fit = new Fit(rig.trainer, rig.optimizer, train, null, new Fit.Settings(20, 16, 16, SEED),
                    List.of(optimizerRates, finder)).run();
            LrFinderResult result = finder.result(fit.seconds());

            int n = result.steps();
            assertEquals(FitStatus.STOPPED, fit.status());
            assertTrue(n < settings.steps(), "stopped early, after " + n + " steps");
            assertTrue(result.stop() == LrFinderResult.Stop.DIVERGED || result.stop() == LrFinderResult.Stop.NOT_FINITE,
                    result.stop().toString());
            double average = 0;
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double expected = 1e-3 * Math.pow(1e7, i / 59.0);
                assertEquals(expected, result.lrs()[i], expected * 1e-12, "lr of step " + i);
                assertEquals((float) result.lrs()[i], applied.get(i), 0, "the optimizer's rate at step " + i);
                average = 0.98 * average + (1 - 0.98) * result.losses()[i];
                assertEquals(average / (1 - Math.pow(0.98, i + 1)), result.smoothedLosses()[i], 0, "smoothed " + i);
                best = Math.min(best, result.smoothedLosses()[i]);
                boolean diverged = !(result.smoothedLosses()[i] <= 4 * best);
                assertEquals(i == n - 1, diverged, "step " + i + " is the first past 4x the best");
            }
            Map<String, byte[]> after = ParameterBytes.of(rig.block());
            assertTrue(before.keySet().stream().anyMatch(name -> !Arrays.equals(before.get(name),
                    after.get(name))), "on its own, the finder trains; only sweep() restores");
        }
    }

    @Test
    void aSweepLongerThanAnEpochRunsIntoTheNextAndCompletes() {
        ImageDataset train = ImageDataset.builder(images(64, 4)).build();
        try (Rig rig = Rig.of("adamw")) {
            LrFinderResult result = LrFinder.sweep(rig.trainer, rig.optimizer, train, 16, SEED,
                    new LrFinder.Settings(1e-6, 1e-5, 10), null, false);
            assertEquals(10, result.steps(), "4 steps per epoch, so 3 epochs");
            assertEquals(LrFinderResult.Stop.COMPLETE, result.stop());
            assertEquals(1e-6, result.lrs()[0], 0);
            assertEquals(1e-5, result.lrs()[9], 1e-20);
        }
    }

    @Test
    void settingsRejectAnEmptyRangeAndTooFewSteps() {
        assertThrows(IllegalArgumentException.class, () -> new LrFinder.Settings(0, 10, 100));
        assertThrows(IllegalArgumentException.class, () -> new LrFinder.Settings(1e-3, 1e-4, 100));
        assertThrows(IllegalArgumentException.class, () -> new LrFinder.Settings(1e-7, 10, 1));
        assertEquals(new LrFinder.Settings(1e-7, 10, 100), LrFinder.Settings.DEFAULT);
    }

    /** A model, its optimizer and trainer, closed together. */
    private record Rig(Model model, KeelOptimizer optimizer, Trainer trainer) implements AutoCloseable {
        static Rig of(String optimizerName) {
            ModelConfig cnn = ConfigLoader.fromYaml("t.yaml",
                    "model: {arch: cnn, channels: [4], hidden: [8], dropout: 0.25}", List.of()).model();
            Model model = Model.newInstance("lr-find-test");
            model.setBlock(ModelFactory.build(cnn, new Shape(1, 8, 8), 2));
            KeelOptimizer optimizer = optimizerName.equals("sgd")
                    ? new Sgd(model.getNDManager(), 0.01, 0.9, false, 1e-4)
                    : new AdamW(model.getNDManager(), 0.003, 0.9, 0.999, 1e-8, 0.01, true);
            Trainer trainer = model.newTrainer(
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer));
            trainer.initialize(new Shape(1, 1, 8, 8));
            return new Rig(model, optimizer, trainer);
        }

        Block block() {
            return model.getBlock();
        }

        /** Trains {@code epochs} epochs in batches of 16 and returns every step's loss. */
        List<Double> fit(ImageDataset train, int epochs, List<Callback> callbacks) {
            List<Double> losses = new ArrayList<>();
            List<Callback> all = new ArrayList<>(callbacks);
            all.add(new Callback() {
                @Override
                public void onStepEnd(LoopState state, StepResult step) {
                    losses.add(step.loss());
                }
            });
            new Fit(trainer, optimizer, train, null, new Fit.Settings(epochs, 16, 16, SEED), all).run();
            return losses;
        }

        @Override
        public void close() {
            trainer.close();
            optimizer.close();
            model.close();
        }
    }

    /** Two classes told apart by the brightness of the image's left half, with noise. */
    private static LabeledImages images(int count, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * 64];
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) random.nextInt(2);
            for (int p = 0; p < 64; p++) {
                int base = (p % 8 < 4 && labels[i] == 1) ? 150 : 50;
                pixels[i * 64 + p] = (byte) (base + random.nextInt(80));
            }
        }
        return new LabeledImages("random", pixels, labels, 1, 8, 8, 2);
    }
}
