package dev.keel.trainer.isa;

import java.util.SplittableRandom;

/**
 * A convolution's seeded random operands: the input and the upstream gradient uniform in [-1, 1),
 * the weight uniform in ±1/sqrt(fan-in) as a freshly initialised layer's. The seed and the shape
 * determine them, so every JVM of the sweep and the reference see the same floats.
 *
 * @param upstream the gradient of the loss with respect to the output (training only): the loss is
 *     {@code sum(output * upstream)}, so the gradients are not merely sums of the operands
 */
public record ConvInputs(float[] input, float[] weight, float[] upstream) {

    public static ConvInputs of(ConvShape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 31 + shape.label().hashCode());
        float[] input = uniform(random, shape.inputLength(), 1);
        float[] weight = uniform(random, shape.weightLength(),
                1 / Math.sqrt(shape.inChannels() * shape.kernel() * shape.kernel()));
        float[] upstream = shape.training() ? uniform(random, shape.outputLength(), 1) : new float[0];
        return new ConvInputs(input, weight, upstream);
    }

    private static float[] uniform(SplittableRandom random, int length, double bound) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        return values;
    }
}
