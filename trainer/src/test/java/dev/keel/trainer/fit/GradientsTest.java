package dev.keel.trainer.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
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
import ai.djl.util.PairList;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.model.ModelFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientsTest {

    @Test
    void globalNormIsTheL2NormOfEveryGradientElementAndScalingScalesIt() {
        try (Model model = Model.newInstance("gradients-test")) {
            model.setBlock(ModelFactory.build(ConfigLoader.fromYaml("t.yaml",
                    "model: {arch: cnn, channels: [4], hidden: [8], dropout: 0}", List.of()).model(),
                    new Shape(1, 6, 6), 3));
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
                Engine.getInstance().setRandomSeed(3);
                trainer.initialize(new Shape(2, 1, 6, 6));
                PairList<String, Parameter> parameters = model.getBlock().getParameters();
                try (NDManager scope = trainer.getManager().newSubManager()) {
                    NDArray x = scope.randomNormal(new Shape(4, 1, 6, 6));
                    NDArray y = scope.create(new float[] {0, 1, 2, 1});
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        collector.backward(trainer.getLoss().evaluate(new NDList(y), trainer.forward(new NDList(x))));
                    }
                    double expected = 0;
                    for (Pair<String, Parameter> parameter : parameters) {
                        if (!parameter.getValue().getArray().hasGradient()) {
                            continue; // batch norm's running statistics
                        }
                        try (NDArray gradient = parameter.getValue().getArray().getGradient()) {
                            for (float g : gradient.toFloatArray()) {
                                expected += (double) g * g;
                            }
                        }
                    }
                    expected = Math.sqrt(expected);
                    try (Gradients gradients = new Gradients(parameters, () -> 1.0)) {
                        assertTrue(expected > 0);
                        assertEquals(expected, gradients.globalNorm(), expected * 1e-5);
                        assertTrue(gradients.isFinite());
                        gradients.scale(0.5);
                        assertEquals(expected / 2, gradients.globalNorm(), expected * 1e-5);
                    }
                    try (Gradients recomputed = new Gradients(parameters, () -> 1.0)) {
                        assertEquals(expected / 2, recomputed.globalNorm(), expected * 1e-5, "the gradients were scaled");
                    }
                    try (NDArray first = parameters.valueAt(0).getArray().getGradient()) {
                        first.set(new ai.djl.ndarray.index.NDIndex(0), Float.NaN);
                    }
                    try (Gradients broken = new Gradients(parameters, () -> 1.0)) {
                        assertFalse(broken.isFinite(), "a NaN gradient makes the norm NaN");
                    }
                }
            }
        }
    }
}
