package dev.keel.trainer.precision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.keel.datasets.ImageDataset;
import dev.keel.datasets.LabeledImages;
import dev.keel.datasets.idx.IdxArray;
import dev.keel.serving.image.Normalization;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.EpochResult;
import dev.keel.trainer.fit.Fit;
import dev.keel.trainer.fit.Gradients;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.StepPrecision;
import dev.keel.trainer.fit.StepResult;
import dev.keel.trainer.metrics.SmoothedLoss;
import dev.keel.trainer.model.ModelFactory;
import dev.keel.trainer.optim.AdamW;
import dev.keel.trainer.optim.KeelOptimizer;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Mixed precision on the CPU, on a tiny convolutional network with batch norm and 1,000 images of
 * the bundled Fashion-MNIST sample: the same steps in float32 and in fp16 from the same weights.
 */
class MixedPrecisionTest {
    private static final String SAMPLE = "/dev/keel/datasets/fashion-mnist-sample/";

    /** What a run records of each step: its loss, and the scale the step after it will use. */
    private record Steps(List<Double> losses, List<Double> scales, List<String> events, List<Integer> liveArrays) {}

    @Test
    void anFp16RunFollowsTheFloat32LossCurveOver100Steps() throws Exception {
        ImageDataset train = sample();
        Steps float32 = train(train, null, null);
        Steps fp16 = train(train, 65536.0, null);
        assertEquals(100, float32.losses().size());
        assertEquals(100, fp16.losses().size());
        // The curve Keel plots: fastai's smoothed loss. Single batches drift apart as rounding
        // differences grow (the runs are chaotic); the curve must not.
        SmoothedLoss smoothed32 = new SmoothedLoss();
        SmoothedLoss smoothed16 = new SmoothedLoss();
        double worst = 0;
        for (int i = 0; i < 100; i++) {
            double expected = smoothed32.add(float32.losses().get(i));
            worst = Math.max(worst, Math.abs(smoothed16.add(fp16.losses().get(i)) / expected - 1));
        }
        assertTrue(worst <= 0.02, "worst relative difference of the smoothed losses " + worst + "\nfloat32 "
                + float32.losses() + "\nfp16 " + fp16.losses());
        for (int i = 0; i < 10; i++) {
            assertEquals(float32.losses().get(i), fp16.losses().get(i), float32.losses().get(i) * 0.005,
                    "step " + i + ", before rounding differences have grown");
        }
        assertTrue(float32.losses().get(99) < float32.losses().get(0) * 0.6, "it learns: " + float32.losses());
        // GradScaler's default scale overflows now and then on this model too (a skipped step halves
        // the scale); the curve is within 2% all the same.
        fp16.events().forEach(event -> assertTrue(event.startsWith("overflow at "), event));
        assertEquals(fp16.liveArrays().get(1), fp16.liveArrays().get(9), "arrays alive after each epoch: "
                + fp16.liveArrays());
    }

    @Test
    void anInjectedOverflowHalvesTheScaleAndSkipsThatStep() throws Exception {
        List<float[]> weights = new ArrayList<>();
        List<Long> withGradients = new ArrayList<>();
        BiFunction<LossScaler, Block, Callback> injector = (scaler, block) -> new Callback() {
            @Override
            public void onStepBegin(LoopState state) {
                if (state.globalStep() == 30) {
                    // Far beyond float16's range: the scaled gradients of this step overflow.
                    scaler.loadState(JsonNodeFactory.instance.objectNode().put("scale", Math.pow(2, 40))
                            .put("clean_steps", 0));
                }
            }

            @Override
            public void onGradients(LoopState state, Gradients gradients) {
                withGradients.add(state.globalStep());
            }

            @Override
            public void onStepEnd(LoopState state, StepResult step) {
                weights.add(block.getParameters().valueAt(0).getArray().toFloatArray());
            }
        };
        Steps fp16 = train(sample(), 65536.0, injector);

        assertEquals("overflow at 30 {loss_scale=" + Math.pow(2, 39) + "}", fp16.events().get(0));
        assertEquals(Math.pow(2, 39), fp16.scales().get(30));
        assertArrayEquals(weights.get(29), weights.get(30), "the overflowing step changed no weight");
        assertFalse(withGradients.contains(30L), "no callback saw the overflowing step's gradients");
        assertTrue(withGradients.contains(29L));
        // The scale halves on every step from there until the gradients fit float16 again.
        List<Long> overflows = new ArrayList<>();
        for (String event : fp16.events()) {
            assertTrue(event.startsWith("overflow at "), event);
            overflows.add(Long.parseLong(event.split(" ")[2]));
        }
        long last = 30;
        while (overflows.contains(last + 1)) {
            last++;
        }
        for (long step = 30; step <= last; step++) {
            assertArrayEquals(weights.get((int) step - 1), weights.get((int) step), "skipped step " + step);
            assertEquals(Math.pow(2, 40 - (step - 29)), fp16.scales().get((int) step), "scale after step " + step);
        }
        assertTrue(last < 60, "the scale came down within " + (last - 29) + " steps: " + overflows);
        assertTrue(withGradients.contains(last + 1), "the step after the last overflow updates the weights");
        assertFalse(java.util.Arrays.equals(weights.get((int) last), weights.get((int) last + 1)));
        assertTrue(Double.isFinite(fp16.losses().get(99)) && fp16.losses().get(99) < fp16.losses().get(0));
    }

    /** @param initialScale the fp16 run's first loss scale, or null for a float32 run */
    private static Steps train(ImageDataset train, Double initialScale, BiFunction<LossScaler, Block, Callback> extra) {
        List<String> events = new ArrayList<>();
        LossScaler scaler = initialScale == null ? null : new LossScaler(initialScale, LossScaler.GROWTH_INTERVAL,
                (kind, state, fields) -> events.add(kind + " at " + state.globalStep() + " " + fields));
        ModelConfig cnn = ConfigLoader.fromYaml("t.yaml", "model: {arch: cnn, channels: [8, 16], hidden: [32], dropout: 0}",
                List.of()).model();
        List<Double> losses = new ArrayList<>();
        List<Double> scales = new ArrayList<>();
        List<Integer> live = new ArrayList<>();
        Model[] running = new Model[1];
        Callback recorder = new Callback() {
            @Override
            public void onEpochEnd(LoopState state, EpochResult epoch) {
                live.add(running[0].getNDManager().getManagedArrays().size());
            }

            @Override
            public void onStepEnd(LoopState state, StepResult step) {
                losses.add(step.loss());
                scales.add(scaler == null ? 1.0 : scaler.scale());
            }
        };
        try (Model model = Model.newInstance("fp16-test");
                KeelOptimizer optimizer = new AdamW(model.getNDManager(), 0.002, 0.9, 0.999, 1e-8, 0.01, true)) {
            running[0] = model;
            model.setBlock(ModelFactory.build(cnn, new Shape(1, 28, 28), 10));
            List<Callback> callbacks = new ArrayList<>(List.of(recorder));
            if (extra != null) {
                callbacks.add(extra.apply(scaler, model.getBlock()));
            }
            if (scaler != null) {
                callbacks.add(scaler);
            }
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(optimizer).optInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                            XavierInitializer.FactorType.IN, 1), Parameter.Type.WEIGHT))) {
                Engine.getInstance().setRandomSeed(17);
                trainer.initialize(new Shape(1, 1, 28, 28));
                StepPrecision precision = scaler == null ? StepPrecision.FLOAT32
                        : new HalfPrecisionStep(scaler, model.getBlock().getParameters());
                new Fit(trainer, optimizer, train, null, new Fit.Settings(10, 100, 100, 5), callbacks, precision).run();
                return new Steps(losses, scales, events, live);
            }
        }
    }

    /** 1,000 training images of the bundled sample, normalised. */
    private static ImageDataset sample() throws Exception {
        LabeledImages images = LabeledImages.fromIdx(idx("train-images-idx3-ubyte.gz"),
                idx("train-labels-idx1-ubyte.gz"), 10);
        return ImageDataset.builder(images).items(java.util.stream.IntStream.range(0, 1000).toArray())
                .normalization(new Normalization(new float[] {0.286f}, new float[] {0.353f})).build();
    }

    private static IdxArray idx(String name) throws Exception {
        try (InputStream in = new GZIPInputStream(MixedPrecisionTest.class.getResourceAsStream(SAMPLE + name))) {
            return IdxArray.read(in, name);
        }
    }
}
