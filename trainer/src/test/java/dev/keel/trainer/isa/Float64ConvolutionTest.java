package dev.keel.trainer.isa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java reference against libtorch's own float64 convolution (not oneDNN's: oneDNN takes float32
 * only), forward and both gradients, on odd sizes where padding and stride meet the edges.
 */
class Float64ConvolutionTest {
    @ParameterizedTest(name = "{0}x{0}/{1} {2}->{3} {4}x{4} batch {5}")
    @CsvSource({"3, 1, 5, 7, 9, 3", "3, 2, 5, 7, 9, 3", "3, 2, 4, 6, 8, 2", "1, 1, 6, 3, 5, 2", "1, 2, 3, 4, 7, 2"})
    void matchesLibtorchInFloat64(int kernel, int stride, int in, int out, int size, int batch) {
        ConvShape shape = new ConvShape(batch, in, out, size, kernel, stride, kernel / 2, true, List.of("test"));
        ConvInputs inputs = ConvInputs.of(shape, 7);
        Float64Convolution reference = new Float64Convolution(shape, inputs);
        double[][] libtorch = libtorchFloat64(shape, inputs);
        for (int i = 0; i < libtorch.length; i++) {
            assertArrayEquals(libtorch[i], reference.compute(shape.outputs().get(i)), 1e-12,
                    shape.outputs().get(i).label());
        }
    }

    @Test
    void oneInputOneWeightIsAShiftedCopy() {
        // A 3x3 kernel with a single 1 at (0, 2) moves each pixel one down and one left, padding with 0.
        ConvShape shape = new ConvShape(1, 1, 1, 3, 3, 1, 1, false, List.of("test"));
        float[] weight = new float[9];
        weight[2] = 1;
        float[] input = {1, 2, 3, 4, 5, 6, 7, 8, 9};

        double[] out = new Float64Convolution(shape, new ConvInputs(input, weight, new float[0])).forward();

        assertArrayEquals(new double[] {0, 0, 0, 2, 3, 0, 5, 6, 0}, out, 0);
    }

    private static double[][] libtorchFloat64(ConvShape shape, ConvInputs inputs) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray input = manager.create(inputs.input(),
                    new Shape(shape.batch(), shape.inChannels(), shape.size(), shape.size())).toType(DataType.FLOAT64, false);
            NDArray weight = manager.create(inputs.weight(),
                    new Shape(shape.outChannels(), shape.inChannels(), shape.kernel(), shape.kernel()))
                    .toType(DataType.FLOAT64, false);
            NDArray upstream = manager.create(inputs.upstream(),
                    new Shape(shape.batch(), shape.outChannels(), shape.outSize(), shape.outSize()))
                    .toType(DataType.FLOAT64, false);
            input.setRequiresGradient(true);
            weight.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray output = Conv2d.conv2d(input, weight, null, new Shape(shape.stride(), shape.stride()),
                        new Shape(shape.padding(), shape.padding()), new Shape(1, 1), 1).singletonOrThrow();
                collector.backward(output.mul(upstream).sum());
                assertTrue(output.getDataType() == DataType.FLOAT64);
                return new double[][] {output.toDoubleArray(), input.getGradient().toDoubleArray(),
                    weight.getGradient().toDoubleArray()};
            }
        }
    }
}
