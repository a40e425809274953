package dev.keel.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link KeelOptimizer#step}, which Keel's loop calls, against DJL's {@code Trainer.step()}, which
 * hands the optimizer a copy of every gradient: the same weights, bit for bit, step after step.
 */
class OptimizerStepTest {
    private static final int STEPS = 4;

    @Test
    void sgdStepMatchesTrainerStep() {
        assertSameTraining(manager -> new Sgd(manager, 0.05, 0.9, true, 0.01));
    }

    @Test
    void adamWStepMatchesTrainerStep() {
        assertSameTraining(manager -> new AdamW(manager, 1e-2, 0.9, 0.999, 1e-8, 0.01, true));
    }

    private static void assertSameTraining(Function<NDManager, KeelOptimizer> optimizerFactory) {
        List<float[]> viaTrainer = train(optimizerFactory, true);
        List<float[]> viaStep = train(optimizerFactory, false);
        for (int i = 0; i < viaTrainer.size(); i++) {
            assertArrayEquals(viaTrainer.get(i), viaStep.get(i), "parameter " + i);
        }
    }

    /** Trains a small net for a few steps and returns its weights, checking that the gradients end zeroed. */
    private static List<float[]> train(Function<NDManager, KeelOptimizer> optimizerFactory, boolean trainerStep) {
        try (Model model = Model.newInstance("step-test")) {
            model.setBlock(new SequentialBlock()
                    .add(Linear.builder().setUnits(5).build())
                    .add(Activation::relu)
                    .add(Linear.builder().setUnits(3).build()));
            try (KeelOptimizer optimizer = optimizerFactory.apply(model.getNDManager());
                    Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(optimizer))) {
                Engine.getInstance().setRandomSeed(11);
                trainer.initialize(new Shape(6, 4));
                var parameters = model.getBlock().getParameters();
                for (int step = 0; step < STEPS; step++) {
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray x = scope.arange(24f).reshape(6, 4).div(10f).sub(step * 0.3f);
                        NDArray y = scope.create(new float[] {0, 1, 2, 0, 1, 2});
                        try (GradientCollector collector = trainer.newGradientCollector()) {
                            NDArray loss = trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x)));
                            collector.backward(loss);
                        }
                        if (trainerStep) {
                            trainer.step();
                        } else {
                            optimizer.step(parameters);
                        }
                    }
                }
                List<float[]> weights = new ArrayList<>();
                for (Pair<String, Parameter> parameter : parameters) {
                    NDArray array = parameter.getValue().getArray();
                    weights.add(array.toFloatArray());
                    try (NDArray gradient = array.getGradient()) {
                        assertFalse(gradient.any().getBoolean(), "gradient of " + parameter.getKey() + " not zeroed");
                    }
                }
                return weights;
            }
        }
    }
}
