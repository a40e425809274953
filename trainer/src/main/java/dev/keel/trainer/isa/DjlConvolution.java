package dev.keel.trainer.isa;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import dev.keel.serving.network.ChannelsLast;

/**
 * Runs one convolution through DJL's PyTorch engine in float32 as Keel's networks run it: DJL's
 * {@link Conv2d#conv2d} on an NCHW input, stored channels-last ({@link ChannelsLast}) or not, under
 * a gradient collector in training. Whether
 * libtorch hands it to oneDNN, and to which of oneDNN's kernels, is libtorch's and oneDNN's choice;
 * for float32 it picks oneDNN whenever the batch is 16 or more, whatever the thread count.
 */
public final class DjlConvolution {
    private DjlConvolution() {}

    /** The outputs of {@code shape} on {@code inputs}, in {@link ConvShape#outputs()} order. */
    public static float[][] run(ConvShape shape, ConvInputs inputs, NDManager manager, boolean channelsLast) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(inputs.input(),
                    new Shape(shape.batch(), shape.inChannels(), shape.size(), shape.size()));
            NDArray weight = scope.create(inputs.weight(),
                    new Shape(shape.outChannels(), shape.inChannels(), shape.kernel(), shape.kernel()));
            if (!shape.training()) {
                return new float[][] {convolve(shape, input, weight, channelsLast).toFloatArray()};
            }
            input.setRequiresGradient(true);
            weight.setRequiresGradient(true);
            NDArray upstream = scope.create(inputs.upstream(),
                    new Shape(shape.batch(), shape.outChannels(), shape.outSize(), shape.outSize()));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray output = convolve(shape, input, weight, channelsLast);
                collector.backward(output.mul(upstream).sum());
                return new float[][] {
                    output.toFloatArray(), input.getGradient().toFloatArray(), weight.getGradient().toFloatArray()};
            }
        }
    }

    private static NDArray convolve(ConvShape shape, NDArray input, NDArray weight, boolean channelsLast) {
        return Conv2d.conv2d(channelsLast ? ChannelsLast.of(input) : input, weight, null, new Shape(shape.stride(), shape.stride()),
                new Shape(shape.padding(), shape.padding()), new Shape(1, 1), 1).singletonOrThrow();
    }
}
