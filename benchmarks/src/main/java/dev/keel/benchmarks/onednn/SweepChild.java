package dev.keel.benchmarks.onednn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.serving.network.ChannelsLast;
import dev.keel.trainer.engine.IsaChoice;
import dev.keel.trainer.engine.OneDnnIsa;
import dev.keel.trainer.isa.ConvInputs;
import dev.keel.trainer.isa.ConvShape;
import dev.keel.trainer.isa.Discrepancy;
import dev.keel.trainer.isa.DjlConvolution;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The child JVM of {@link ConvolutionIsaSweep}: runs every convolution of a shapes file through
 * DJL under this process's {@code ONEDNN_MAX_CPU_ISA} (oneDNN reads it once, so each ISA needs
 * its own process), {@code repeats} times each, and writes the first run's outputs to a {@link
 * FloatFile} and a {@link ChildSummary} as JSON.
 *
 * <pre>
 * SweepChild SHAPES.json OUTPUTS.bin SUMMARY.json REPEATS SEED [CAP]
 * </pre>
 *
 * With CAP, the process sets {@code ONEDNN_MAX_CPU_ISA} to it itself, through Keel's {@link
 * OneDnnIsa}, before its first convolution: as {@code keel} sets the cap it chooses.
 */
public final class SweepChild {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SweepChild() {}

    /**
     * Runs the convolutions.
     *
     * @param args the shapes file, the outputs file, the summary file, the repeats, the seed, and
     *     optionally the cap to set in this process
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 5 && args.length != 6) {
            throw new IllegalArgumentException("usage: SweepChild SHAPES.json OUTPUTS.bin SUMMARY.json REPEATS SEED"
                    + " [CAP], got " + Arrays.toString(args));
        }
        String maxCpuIsa = args.length == 6
                ? OneDnnIsa.apply(new IsaChoice(args[5], "set by the sweep's parent")).value()
                : System.getenv("ONEDNN_MAX_CPU_ISA");
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "off");
        List<ConvShape> shapes = List.of(JSON.readValue(Path.of(args[0]).toFile(), ConvShape[].class));
        int repeats = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        long start = System.nanoTime();
        List<Discrepancy> drift = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(); FloatFile outputs = FloatFile.create(Path.of(args[1]))) {
            for (ConvShape shape : shapes) {
                ConvInputs inputs = ConvInputs.of(shape, seed);
                float[][] first = DjlConvolution.run(shape, inputs, manager, ChannelsLast.enabled());
                Discrepancy worst = Discrepancy.NONE;
                for (int repeat = 1; repeat < repeats; repeat++) {
                    float[][] again = DjlConvolution.run(shape, inputs, manager, ChannelsLast.enabled());
                    for (int i = 0; i < first.length; i++) {
                        worst = worst.worst(Discrepancy.between(again[i], first[i]));
                    }
                }
                for (float[] output : first) {
                    outputs.write(output);
                }
                drift.add(worst);
            }
        }
        Engine engine = Engine.getInstance();
        ChildSummary summary = new ChildSummary(maxCpuIsa, engine.getVersion(),
                Engine.getDjlVersion(), JniUtils.getNumThreads(), (System.nanoTime() - start) / 1e9, drift);
        JSON.writeValue(Path.of(args[2]).toFile(), summary);
    }
}
