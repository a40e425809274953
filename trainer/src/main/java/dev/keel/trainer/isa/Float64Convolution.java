package dev.keel.trainer.isa;

/**
 * The reference: a convolution's output and gradients computed from the same float32 operands in
 * plain Java double precision, by direct summation, without libtorch. Layouts are NCHW for images
 * and (out, in, kh, kw) for the weight, as in DJL.
 */
public final class Float64Convolution {
    private final ConvShape shape;
    private final double[] input;
    private final double[] weight;
    private final double[] upstream;

    public Float64Convolution(ConvShape shape, ConvInputs inputs) {
        this.shape = shape;
        this.input = toDouble(inputs.input());
        this.weight = toDouble(inputs.weight());
        this.upstream = toDouble(inputs.upstream());
    }

    /** The reference for {@code output}. */
    public double[] compute(ConvOutput output) {
        return switch (output) {
            case FORWARD -> forward();
            case GRAD_INPUT -> gradInput();
            case GRAD_WEIGHT -> gradWeight();
        };
    }

    /** out[n, o, y, x] = sum over i, ky, kx of weight[o, i, ky, kx] * input[n, i, y*s - p + ky, x*s - p + kx]. */
    public double[] forward() {
        double[] out = new double[shape.outputLength()];
        visit((outIndex, inIndex, weightIndex, count, inStep) -> {
            double w = weight[weightIndex];
            for (int x = 0; x < count; x++) {
                out[outIndex + x] += w * input[inIndex + x * inStep];
            }
        });
        return out;
    }

    /** The gradient of sum(out * upstream) with respect to the input. */
    public double[] gradInput() {
        double[] grad = new double[shape.inputLength()];
        visit((outIndex, inIndex, weightIndex, count, inStep) -> {
            double w = weight[weightIndex];
            for (int x = 0; x < count; x++) {
                grad[inIndex + x * inStep] += w * upstream[outIndex + x];
            }
        });
        return grad;
    }

    /** The gradient of sum(out * upstream) with respect to the weight. */
    public double[] gradWeight() {
        double[] grad = new double[shape.weightLength()];
        visit((outIndex, inIndex, weightIndex, count, inStep) -> {
            double sum = 0;
            for (int x = 0; x < count; x++) {
                sum += upstream[outIndex + x] * input[inIndex + x * inStep];
            }
            grad[weightIndex] += sum;
        });
        return grad;
    }

    /**
     * One row of products: output positions {@code outIndex .. outIndex + count - 1} meet input
     * positions {@code inIndex, inIndex + inStep, ...} through weight {@code weightIndex}.
     */
    private interface Row {
        void accept(int outIndex, int inIndex, int weightIndex, int count, int inStep);
    }

    /** Calls {@code row} for every (image, out channel, in channel, kernel offset, output row) whose inputs lie inside the padding. */
    private void visit(Row row) {
        int size = shape.size();
        int outSize = shape.outSize();
        int kernel = shape.kernel();
        int stride = shape.stride();
        int pad = shape.padding();
        for (int n = 0; n < shape.batch(); n++) {
            for (int o = 0; o < shape.outChannels(); o++) {
                int outPlane = (n * shape.outChannels() + o) * outSize * outSize;
                for (int i = 0; i < shape.inChannels(); i++) {
                    int inPlane = (n * shape.inChannels() + i) * size * size;
                    for (int ky = 0; ky < kernel; ky++) {
                        for (int kx = 0; kx < kernel; kx++) {
                            int weightIndex = ((o * shape.inChannels() + i) * kernel + ky) * kernel + kx;
                            // Output columns x whose input column x*stride - pad + kx lies in [0, size).
                            int firstX = Math.max(0, ceilDiv(pad - kx, stride));
                            int lastX = Math.min(outSize - 1, Math.floorDiv(size - 1 + pad - kx, stride));
                            if (firstX > lastX) {
                                continue;
                            }
                            for (int y = 0; y < outSize; y++) {
                                int inY = y * stride - pad + ky;
                                if (inY < 0 || inY >= size) {
                                    continue;
                                }
                                row.accept(outPlane + y * outSize + firstX,
                                        inPlane + inY * size + firstX * stride - pad + kx,
                                        weightIndex, lastX - firstX + 1, stride);
                            }
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    private static double[] toDouble(float[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }
}
