package dev.keel.benchmarks;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Keel's training step against the raw DJL step, paired: all sides run in one JVM and take turns,
 * round after round, so that whatever slows the machine down (another process, CPU frequency, the
 * allocator's state) hits them alike. Separate JMH forks of the same benchmark differ by up to 15%
 * on a small VM, far more than the few per cent this measures; paired rounds do not have that
 * problem.
 *
 * <p>For each model and batch size it builds three sides: {@link KeelSteps}, Keel's loop, which
 * assembles each batch from the data; {@link RawDjlSteps#stepOnData}, the raw DJL step doing the
 * same data work (each batch written into one reused buffer by the same dataset code), so that the
 * ratio between the two is what Keel's loop itself costs; and {@link RawDjlSteps#step}, raw DJL on
 * one fixed batch, the step tools/bench_peer.py times, so that the ratio to it adds what reading
 * real data costs. It warms every side up, then runs {@code --rounds} rounds. A round times the
 * same number of steps of each (whole epochs of Keel's loop, about {@code --round-seconds} per
 * side), the sides' order cycling through all six orders. The results are the medians over rounds
 * of Keel's time divided by each DJL side's, with distribution-free 95% confidence intervals for
 * those medians (order statistics of the binomial).
 *
 * <pre>
 * java -Dai.djl.pytorch.num_threads=2 -cp benchmarks/target/benchmarks.jar \
 *     dev.keel.benchmarks.StepComparison --models mlp,cnn --batch-sizes 32,128,256 --json out.json
 * </pre>
 *
 * Export {@code ONEDNN_MAX_CPU_ISA=AVX2} (the cap Keel chooses for the cnn and resnet) and the
 * {@code keel} launcher's {@code MALLOC_*} settings first, as tools/bench_compare.py does.
 */
@Command(name = "StepComparison", mixinStandardHelpOptions = true,
        description = "Keel's training step against the raw DJL step (on the same batches and on one fixed batch), "
                + "taking turns in one JVM.")
public final class StepComparison implements Callable<Integer> {
    /** Keel's loop runs whole epochs: this many steps at most, fewer for slow steps or a small sample. */
    private static final int MAX_STEPS_PER_EPOCH = 40;
    private static final int SAMPLE_IMAGES = 10_000;

    @Option(names = "--models", split = ",", defaultValue = "mlp,cnn,resnet",
            description = "Models to compare (default: ${DEFAULT-VALUE}).")
    private List<String> models;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "32,128,256",
            description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    private List<Integer> batchSizes;

    @Option(names = "--device", defaultValue = Fixtures.CPU, description = "cpu or gpu (default: ${DEFAULT-VALUE}).")
    private String device;

    @Option(names = "--warmup-seconds", defaultValue = "10",
            description = "Warm-up per side before the rounds (default: ${DEFAULT-VALUE}).")
    private double warmupSeconds;

    @Option(names = "--rounds", defaultValue = "24", description = "Timed rounds (default: ${DEFAULT-VALUE}).")
    private int rounds;

    @Option(names = "--round-seconds", defaultValue = "1",
            description = "About how long each side runs per round (default: ${DEFAULT-VALUE}).")
    private double roundSeconds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every round's times here.")
    private Path json;

    @Spec
    private CommandSpec spec;

    /**
     * One configuration's result: per-step medians of each side and the paired ratios with their
     * 95% intervals, against raw DJL on the same batches ({@code ratio}: Keel's own overhead) and on
     * one fixed batch ({@code fixedBatchRatio}: that plus the data).
     */
    record Result(String model, int batchSize, String device, int stepsPerRound, double keelMs, double djlMs,
            double djlFixedBatchMs, double ratio, double ratioLow, double ratioHigh, double fixedBatchRatio,
            double fixedBatchRatioLow, double fixedBatchRatioHigh, double[] keelRoundMs, double[] djlRoundMs,
            double[] djlFixedBatchRoundMs) {}

    /** The six orders of the three sides; round {@code r} uses order {@code r % 6}. */
    private static final int[][] ORDERS = {{0, 1, 2}, {2, 1, 0}, {1, 2, 0}, {0, 2, 1}, {2, 0, 1}, {1, 0, 2}};

    /** Runs the comparison; see the type's description for the options. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new StepComparison()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        validateOptions();
        KeelBenchmarks.quietLogging();
        KeelBenchmarks.warnAboutEnvironment();
        Engine engine = Engine.getInstance(); // loads libtorch, which JniUtils needs
        if (device.equals(Fixtures.GPU) && engine.getGpuCount() == 0) {
            System.out.println(Fixtures.NO_GPU);
            return 0;
        }
        Device dev = Fixtures.device(device);
        System.out.printf(Locale.ROOT, "paired Keel vs raw DJL steps on %s, %d intra-op threads: %d rounds of about "
                + "%.2g s per side after %.2g s of warm-up per side%n", dev, JniUtils.getNumThreads(),
                rounds, roundSeconds, warmupSeconds);
        System.out.println("| model | batch | Keel ms/step | DJL, same batches | DJL, fixed batch "
                + "| Keel/DJL same batches (95% CI) | Keel/DJL fixed batch (95% CI) |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        List<Result> results = new ArrayList<>();
        for (String model : models) {
            for (int batchSize : batchSizes) {
                Result result = compare(model, batchSize, dev);
                results.add(result);
                System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f (%.3f-%.3f) | %.3f (%.3f-%.3f) |%n",
                        model, batchSize, result.keelMs(), result.djlMs(), result.djlFixedBatchMs(), result.ratio(),
                        result.ratioLow(), result.ratioHigh(), result.fixedBatchRatio(), result.fixedBatchRatioLow(),
                        result.fixedBatchRatioHigh());
            }
        }
        if (json != null) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("device", dev.toString());
            report.put("intra_op_threads", JniUtils.getNumThreads());
            report.put("rounds", rounds);
            report.put("round_seconds", roundSeconds);
            report.put("warmup_seconds", warmupSeconds);
            report.put("results", results);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
        }
        return 0;
    }

    private void validateOptions() {
        for (String model : models) {
            if (!Fixtures.MODELS.contains(model)) {
                throw new ParameterException(spec.commandLine(),
                        "--models: \"" + model + "\" is not one of " + String.join(", ", Fixtures.MODELS));
            }
        }
        if (batchSizes.stream().anyMatch(size -> size < 1 || size > SAMPLE_IMAGES / 2)) {
            throw new ParameterException(spec.commandLine(),
                    "--batch-sizes: every size must be between 1 and " + SAMPLE_IMAGES / 2 + ", got " + batchSizes);
        }
        if (!device.equals(Fixtures.CPU) && !device.equals(Fixtures.GPU)) {
            throw new ParameterException(spec.commandLine(), "--device: \"" + device + "\" is not one of cpu, gpu");
        }
        if (rounds < 1 || warmupSeconds < 0 || roundSeconds <= 0) {
            throw new ParameterException(spec.commandLine(),
                    "--rounds must be at least 1, --warmup-seconds at least 0 and --round-seconds above 0");
        }
    }

    private Result compare(String model, int batchSize, Device dev) {
        try (RawDjlSteps djlFixed = new RawDjlSteps(model, batchSize, dev, batchSize)) {
            double fixedStep = warmUp(djlFixed::step, 1);
            // Keel's loop runs whole epochs: about a round's worth of steps each (2 to 40).
            long roundSteps = Math.round(roundSeconds * 1000 / fixedStep);
            int stepsPerEpoch = (int) Math.max(2, Math.min(roundSteps, Math.min(MAX_STEPS_PER_EPOCH,
                    SAMPLE_IMAGES / batchSize)));
            try (KeelSteps keel = new KeelSteps(model, batchSize, dev, stepsPerEpoch, "none");
                    RawDjlSteps djlOnData = new RawDjlSteps(model, batchSize, dev, stepsPerEpoch * batchSize)) {
                return compare(model, batchSize, keel, djlOnData, djlFixed, fixedStep, stepsPerEpoch);
            }
        }
    }

    /** Warms Keel and raw DJL on data up ({@code djlFixed} is warm already), then runs the rounds. */
    private Result compare(String model, int batchSize, KeelSteps keel, RawDjlSteps djlOnData, RawDjlSteps djlFixed,
            double fixedStep, int stepsPerEpoch) {
        double keelStep = warmUp(keel::epoch, stepsPerEpoch);
        double djlStep = warmUp(djlOnData::stepOnData, 1);
        double slowest = Math.max(keelStep, Math.max(djlStep, fixedStep));
        int epochsPerRound = (int) Math.max(1, Math.round(roundSeconds * 1000 / slowest / stepsPerEpoch));
        int stepsPerRound = epochsPerRound * stepsPerEpoch;
        Runnable[] sides = {
            () -> repeat(keel::epoch, epochsPerRound),
            () -> repeat(djlOnData::stepOnData, stepsPerRound),
            () -> repeat(djlFixed::step, stepsPerRound)};
        double[][] ms = new double[3][rounds];
        double[] ratios = new double[rounds];
        double[] fixedRatios = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            for (int side : ORDERS[round % ORDERS.length]) {
                long start = System.nanoTime();
                sides[side].run();
                ms[side][round] = (System.nanoTime() - start) / 1e6 / stepsPerRound;
            }
            ratios[round] = ms[0][round] / ms[1][round];
            fixedRatios[round] = ms[0][round] / ms[2][round];
        }
        double[] interval = medianInterval(ratios);
        double[] fixedInterval = medianInterval(fixedRatios);
        return new Result(model, batchSize, device, stepsPerRound, median(ms[0]), median(ms[1]), median(ms[2]),
                median(ratios), interval[0], interval[1], median(fixedRatios), fixedInterval[0], fixedInterval[1],
                ms[0], ms[1], ms[2]);
    }

    private static void repeat(Runnable step, int times) {
        for (int i = 0; i < times; i++) {
            step.run();
        }
    }

    /** Runs {@code work} for the warm-up time and returns the last second's ms per step. */
    private double warmUp(Runnable work, int stepsPerCall) {
        long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
        long lastStart;
        int calls;
        do {
            lastStart = System.nanoTime();
            calls = 0;
            long sliceEnd = Math.min(end, lastStart + 1_000_000_000L);
            do {
                work.run();
                calls++;
            } while (System.nanoTime() < sliceEnd);
        } while (System.nanoTime() < end);
        return (System.nanoTime() - lastStart) / 1e6 / (calls * (double) stepsPerCall);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * A distribution-free 95% confidence interval for the median: the order statistics {@code
     * j < k} for which Binomial(n, 1/2) puts at least 95% of its mass on {@code [j, k)}, as close to
     * the middle as that allows. With fewer than 6 values no such interval exists; the full range is
     * returned.
     */
    static double[] medianInterval(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        // P(B <= j - 1) for B ~ Binomial(n, 1/2), cumulated until it passes 2.5%.
        double[] pmf = new double[n + 1];
        pmf[0] = Math.pow(0.5, n);
        for (int i = 1; i <= n; i++) {
            pmf[i] = pmf[i - 1] * (n - i + 1) / i;
        }
        int low = 0;
        double tail = pmf[0];
        while (low + 1 < n / 2 && tail + pmf[low + 1] <= 0.025) {
            low++;
            tail += pmf[low];
        }
        if (tail > 0.025) {
            return new double[] {sorted[0], sorted[n - 1]};
        }
        // sorted[low] is order statistic low + 1: P(X(low+1) > median) = P(B <= low) = tail <= 2.5%.
        return new double[] {sorted[low], sorted[n - 1 - low]};
    }
}
