package dev.keel.trainer.isa;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The child JVM of {@link CpuCheck}: runs each shape given, as in training (output, gradient with
 * respect to input and to weight), through DJL under the {@code ONEDNN_MAX_CPU_ISA} its parent put
 * in its environment, compares them with {@link Float64Convolution} and writes a JSON array of
 * {@link CheckedShape} to the file given.
 *
 * <pre>
 * IsaCheckChild RESULT.json BATCH,IN,OUT,SIZE,KERNEL,STRIDE,PADDING...
 * </pre>
 */
public final class IsaCheckChild {
    /** The seed of the random operands: fixed, so a check is repeatable. */
    static final long SEED = 20261206L;

    private IsaCheckChild() {}

    /**
     * Runs the check.
     *
     * @param args the result file, then one shape per argument
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: IsaCheckChild RESULT.json"
                    + " BATCH,IN,OUT,SIZE,KERNEL,STRIDE,PADDING..., got " + Arrays.toString(args));
        }
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        List<CheckedShape> checked = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int i = 1; i < args.length; i++) {
                checked.add(check(parse(args[i]), manager));
            }
        }
        new ObjectMapper().writeValue(Path.of(args[0]).toFile(), checked);
    }

    /** A shape from its argument {@code BATCH,IN,OUT,SIZE,KERNEL,STRIDE,PADDING}. */
    static ConvShape parse(String argument) {
        int[] v = Arrays.stream(argument.split(",")).mapToInt(Integer::parseInt).toArray();
        if (v.length != 7) {
            throw new IllegalArgumentException("a shape is BATCH,IN,OUT,SIZE,KERNEL,STRIDE,PADDING, got " + argument);
        }
        return new ConvShape(v[0], v[1], v[2], v[3], v[4], v[5], v[6], true, List.of());
    }

    /** The argument {@link #parse} reads back as {@code shape}. */
    static String argument(ConvShape shape) {
        return shape.batch() + "," + shape.inChannels() + "," + shape.outChannels() + "," + shape.size() + ","
                + shape.kernel() + "," + shape.stride() + "," + shape.padding();
    }

    private static CheckedShape check(ConvShape shape, NDManager manager) {
        ConvInputs inputs = ConvInputs.of(shape, SEED);
        float[][] outputs = DjlConvolution.run(shape, inputs, manager, true); // as the networks run it
        Float64Convolution reference = new Float64Convolution(shape, inputs);
        Discrepancy[] d = new Discrepancy[3];
        for (int i = 0; i < 3; i++) {
            d[i] = Discrepancy.between(outputs[i], reference.compute(shape.outputs().get(i)));
        }
        return new CheckedShape(shape.label(), d[0].relative(), d[1].relative(), d[2].relative(),
                d[0].nonFinite() + d[1].nonFinite() + d[2].nonFinite());
    }
}
