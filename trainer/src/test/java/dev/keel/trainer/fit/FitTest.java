package dev.keel.trainer.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.keel.datasets.ImageDataset;
import dev.keel.datasets.LabeledImages;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.model.ModelFactory;
import dev.keel.trainer.optim.KeelOptimizer;
import dev.keel.trainer.optim.Sgd;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FitTest {

    /** Records every event it sees, tagged with its name. */
    private static class Recorder implements Callback {
        private final String name;
        private final Phase phase;
        private final List<String> events;

        Recorder(String name, Phase phase, List<String> events) {
            this.name = name;
            this.phase = phase;
            this.events = events;
        }

        @Override
        public Phase phase() {
            return phase;
        }

        @Override
        public void onTrainBegin(LoopState state) {
            events.add(name + ":trainBegin");
        }

        @Override
        public void onEpochBegin(LoopState state) {
            events.add(name + ":epochBegin " + state.epoch());
        }

        @Override
        public void onStepBegin(LoopState state) {
            events.add(name + ":stepBegin " + state.epoch() + "/" + state.stepInEpoch() + " #" + state.globalStep());
        }

        @Override
        public void onGradients(LoopState state, Gradients gradients) {
            events.add(name + ":gradients " + state.globalStep() + " finite " + gradients.isFinite());
        }

        @Override
        public void onStepEnd(LoopState state, StepResult step) {
            events.add(name + ":stepEnd " + state.globalStep() + " items " + step.items());
        }

        @Override
        public void onEpochEnd(LoopState state, EpochResult epoch) {
            events.add(name + ":epochEnd " + epoch.epoch() + " valid " + (epoch.valid() != null));
        }

        @Override
        public void onTrainEnd(LoopState state, FitResult result) {
            events.add(name + ":trainEnd steps " + result.steps());
        }
    }

    @Test
    void eventsComeInTheDocumentedOrderAndByPhase() {
        List<String> events = new ArrayList<>();
        // Given in reverse phase order: the loop must still run METRICS before REPORT.
        List<Callback> callbacks = List.of(new Recorder("report", Phase.REPORT, events),
                new Recorder("metrics", Phase.METRICS, events));
        LabeledImages images = randomImages(40, 7);
        ImageDataset train = ImageDataset.builder(images).items(range(0, 32)).build();
        ImageDataset valid = ImageDataset.builder(images).items(range(32, 40)).build();
        fit(train, valid, new Fit.Settings(2, 16, 8, 1), callbacks);

        List<String> expected = new ArrayList<>();
        expected.add("metrics:trainBegin");
        expected.add("report:trainBegin");
        for (int epoch = 0; epoch < 2; epoch++) {
            expected.add("metrics:epochBegin " + epoch);
            expected.add("report:epochBegin " + epoch);
            for (int step = 0; step < 2; step++) {
                long global = epoch * 2L + step;
                expected.add("metrics:stepBegin " + epoch + "/" + step + " #" + global);
                expected.add("report:stepBegin " + epoch + "/" + step + " #" + global);
                expected.add("metrics:gradients " + global + " finite true");
                expected.add("report:gradients " + global + " finite true");
                expected.add("metrics:stepEnd " + global + " items 16");
                expected.add("report:stepEnd " + global + " items 16");
            }
            expected.add("metrics:epochEnd " + epoch + " valid true");
            expected.add("report:epochEnd " + epoch + " valid true");
        }
        expected.add("metrics:trainEnd steps 4");
        expected.add("report:trainEnd steps 4");
        assertEquals(expected, events);
    }

    @Test
    void withSyncEveryTwoStepsEachStepEndsAtTheNextSyncPointWithItsOwnPositionAndRate() {
        List<String> events = new ArrayList<>();
        List<Boolean> current = new ArrayList<>();
        Callback recorder = new Recorder("metrics", Phase.METRICS, events) {
            @Override
            public void onStepBegin(LoopState state) {
                super.onStepBegin(state);
                // A group rate that tells the steps apart (the loop sets the optimizer's own rate itself).
                state.setGroupRates(List.of(new GroupRate("body", 0.01 * (state.globalStep() + 1), false)));
            }

            @Override
            public void onStepEnd(LoopState state, StepResult step) {
                events.add("stepEnd " + state.epoch() + "/" + state.stepInEpoch() + " lr "
                        + state.groupRates().get(0).learningRate());
                current.add(step.weightsCurrent());
            }
        };
        LabeledImages images = randomImages(48, 7);
        ImageDataset train = ImageDataset.builder(images).items(range(0, 48)).build();
        // 3 steps per epoch: a sync point after step 1 and at the epoch's end, after step 2.
        fit(train, null, new Fit.Settings(1, 16, 16, 1, 2), List.of(recorder));

        List<String> steps = events.stream().filter(e -> e.contains("stepBegin") || e.startsWith("stepEnd")).toList();
        assertEquals(List.of("metrics:stepBegin 0/0 #0", "metrics:stepBegin 0/1 #1",
                "stepEnd 0/0 lr 0.01", "stepEnd 0/1 lr 0.02",
                "metrics:stepBegin 0/2 #2", "stepEnd 0/2 lr 0.03"), steps);
        assertEquals(List.of(false, true, true), current);
    }

    @Test
    void readingTheLossesEveryFewStepsChangesNoLossAndNoWeight() {
        LabeledImages images = randomImages(256, 3);
        ImageDataset train = ImageDataset.builder(images).build();
        List<Double> everyStep = new ArrayList<>();
        List<Double> everyThird = new ArrayList<>();
        float[] weightsEveryStep = fitAndRecordLosses(train, new Fit.Settings(3, 32, 64, 5, 1), everyStep);
        float[] weightsEveryThird = fitAndRecordLosses(train, new Fit.Settings(3, 32, 64, 5, 3), everyThird);
        assertEquals(24, everyStep.size());
        assertEquals(everyStep, everyThird);
        assertTrue(java.util.Arrays.equals(weightsEveryStep, weightsEveryThird), "final weights differ");
    }

    @Test
    void trainingLowersTheLossOnLearnableData() {
        LabeledImages images = randomImages(256, 3);
        ImageDataset train = ImageDataset.builder(images).build();
        List<Double> epochLosses = new ArrayList<>();
        Callback losses = new Callback() {
            @Override
            public void onEpochEnd(LoopState state, EpochResult epoch) {
                epochLosses.add(epoch.trainLoss());
            }
        };
        FitResult result = fit(train, train, new Fit.Settings(8, 32, 64, 5), List.of(losses));
        assertEquals(8, epochLosses.size());
        assertTrue(epochLosses.get(7) < epochLosses.get(0) * 0.7, "loss fell: " + epochLosses);
        assertTrue(result.lastValid().accuracy() > 0.8, "accuracy " + result.lastValid().accuracy());
    }

    @Test
    void nativeArraysDoNotAccumulateFromEpochToEpoch() {
        LabeledImages images = randomImages(256, 9);
        ImageDataset train = ImageDataset.builder(images).build();
        ModelConfig mlp = ConfigLoader.fromYaml("t.yaml", "model: {arch: mlp, hidden: [16], dropout: 0.25}",
                List.of()).model();
        List<Integer> live = new ArrayList<>();
        try (Model model = Model.newInstance("memory-test");
                KeelOptimizer optimizer = new Sgd(model.getNDManager(), 0.1, 0.9, true, 0.01)) {
            model.setBlock(ModelFactory.build(mlp, new Shape(1, 4, 4), 2));
            try (Trainer trainer = model.newTrainer(
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer))) {
                trainer.initialize(new Shape(1, 1, 4, 4));
                // Read the gradients' norm every step, as the divergence guard does.
                Callback probe = new Callback() {
                    @Override
                    public void onGradients(LoopState state, Gradients gradients) {
                        assertTrue(gradients.isFinite());
                    }

                    @Override
                    public void onEpochEnd(LoopState state, EpochResult epoch) {
                        live.add(model.getNDManager().getManagedArrays().size());
                    }
                };
                new Fit(trainer, optimizer, train, train, new Fit.Settings(6, 32, 64, 3), List.of(probe)).run();
            }
        }
        assertEquals(6, live.size());
        assertEquals(live.get(1), live.get(5), "arrays alive after each epoch: " + live);
    }

    @Test
    void stepsPerEpochDropsAPartialLastBatch() {
        assertEquals(421, Fit.stepsPerEpoch(54_000, 128));
        assertEquals(1, Fit.stepsPerEpoch(10, 128));
        assertEquals(2, Fit.stepsPerEpoch(32, 16));
    }

    private static FitResult fit(ImageDataset train, ImageDataset valid, Fit.Settings settings,
            List<Callback> callbacks) {
        ModelConfig mlp = ConfigLoader.fromYaml("t.yaml", "model: {arch: mlp, hidden: [16], dropout: 0}",
                List.of()).model();
        try (Model model = Model.newInstance("fit-test");
                KeelOptimizer optimizer = new Sgd(model.getNDManager(), 0.1, 0.9, false, 0)) {
            model.setBlock(ModelFactory.build(mlp, new Shape(1, 4, 4), 2));
            try (Trainer trainer = model.newTrainer(
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer))) {
                trainer.initialize(new Shape(1, 1, 4, 4));
                return new Fit(trainer, optimizer, train, valid, settings, callbacks).run();
            }
        }
    }

    /** Trains with dropout, records every step's loss, and returns the first layer's final weights. */
    private static float[] fitAndRecordLosses(ImageDataset train, Fit.Settings settings, List<Double> losses) {
        ModelConfig mlp = ConfigLoader.fromYaml("t.yaml", "model: {arch: mlp, hidden: [16], dropout: 0.25}",
                List.of()).model();
        Callback recorder = new Callback() {
            @Override
            public void onStepEnd(LoopState state, StepResult step) {
                losses.add(step.loss());
            }
        };
        try (Model model = Model.newInstance("sync-test");
                KeelOptimizer optimizer = new Sgd(model.getNDManager(), 0.1, 0.9, false, 0)) {
            model.setBlock(ModelFactory.build(mlp, new Shape(1, 4, 4), 2));
            try (Trainer trainer = model.newTrainer(
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer))) {
                ai.djl.engine.Engine.getInstance().setRandomSeed(17); // the same initial weights in both runs
                trainer.initialize(new Shape(1, 1, 4, 4));
                new Fit(trainer, optimizer, train, null, settings, List.of(recorder)).run();
                return model.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
            }
        }
    }

    /** Two classes told apart by the brightness of the image's left half. */
    private static LabeledImages randomImages(int count, long seed) {
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
        return new LabeledImages("random", pixels, labels, 1, 4, 4, 2);
    }

    private static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }
}
