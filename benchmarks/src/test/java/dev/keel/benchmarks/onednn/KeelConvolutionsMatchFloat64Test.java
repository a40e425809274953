package dev.keel.benchmarks.onednn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.keel.trainer.config.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guard on the kernels the build runs under (the test JVM's {@code ONEDNN_MAX_CPU_ISA}, which
 * the build sets as the {@code keel} launcher does): the convolutions of the quickstart cnn and of
 * resnet-20, at their training and evaluation batch sizes, give the float64 reference's numbers
 * and no NaN, twice in a row. The convolution where NaN was once seen, 24 -> 48 channels at 14x14,
 * is among them.
 */
class KeelConvolutionsMatchFloat64Test {
    private static final double TOLERANCE = 1e-4;

    @Test
    void quickstartAndResnet20ConvolutionsMatchFloat64() {
        List<ConvShape> shapes = new ArrayList<>(KeelConvolutions.of(
                ConfigLoader.load(Path.of("..", "configs", "quickstart.yaml"), List.of()), "quickstart.yaml"));
        shapes.addAll(KeelConvolutions.ofResnets(List.of(20)));
        List<String> failures = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (ConvShape shape : ConvShape.distinct(shapes)) {
                ConvInputs inputs = ConvInputs.of(shape, 42);
                Float64Convolution reference = new Float64Convolution(shape, inputs);
                List<double[]> expected = shape.outputs().stream().map(reference::compute).toList();
                for (int run = 0; run < 2; run++) {
                    float[][] outputs = DjlConvolution.run(shape, inputs, manager);
                    for (int i = 0; i < outputs.length; i++) {
                        Discrepancy discrepancy = Discrepancy.between(outputs[i], expected.get(i));
                        if (!discrepancy.within(TOLERANCE)) {
                            failures.add(shape.label() + " run " + (run + 1) + ": " + shape.outputs().get(i).label()
                                    + " " + discrepancy);
                        }
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), "ONEDNN_MAX_CPU_ISA=" + System.getenv("ONEDNN_MAX_CPU_ISA")
                + ": convolutions off the float64 reference or not finite: " + failures);
    }
}
