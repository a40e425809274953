package dev.keel.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.training.Trainer;
import dev.keel.datasets.ImageDataset;
import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.Fit;
import dev.keel.trainer.fit.FitResult;
import dev.keel.trainer.fit.Gradients;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.optim.AdamW;
import dev.keel.trainer.optim.KeelOptimizer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step through Keel's own loop, {@link Fit}: per-step {@code NDManager} scope, the
 * batch assembled by {@code ImageDataset.batch}, forward, softmax cross-entropy, backward, the
 * loss read back to the host, the {@code Gradients} hook, and Keel's {@link AdamW} update (lr
 * 1e-3, weight decay 0.01, constant: no schedule callback, no other callbacks).
 *
 * <p>{@code Fit} has no single-step entry point, so each invocation runs one epoch of
 * {@value #STEPS} steps over the first {@code STEPS * batchSize} images of the bundled
 * Fashion-MNIST sample, without validation, and the score is divided by {@value #STEPS}: it reads
 * as milliseconds per step. The per-epoch work this adds (shuffling {@code STEPS * batchSize}
 * indices, a handful of callback events) is microseconds against steps of milliseconds.
 * {@link RawDjlStepBenchmark} times the same step written directly on DJL; its {@code
 * stepFromDataset} variant also assembles the batch per step, so the two differ only by what Keel's
 * loop adds.
 *
 * <p>Settings, chosen for a 2-core machine: one fork, 3 warm-up iterations of 5 s (the JIT needs
 * seconds; 10 warm-up steps read 2x slow), 5 measured iterations of 5 s, one benchmark thread
 * (libtorch runs its own intra-op threads: {@code -jvmArgsPrepend -Dai.djl.pytorch.num_threads=N}
 * pins them). Forks inherit the runner's environment: export {@code ONEDNN_MAX_CPU_ISA=AVX2} and the
 * {@code MALLOC_*} settings of the {@code keel} launcher before running, as tools/bench_compare.py
 * does. {@code device=gpu} is skipped with a message where PyTorch sees no GPU.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {
    "-Dai.djl.offline=true",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
    "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=off"})
public class KeelStepBenchmark {
    /** Steps per invocation: one epoch of Keel's loop. */
    public static final int STEPS = 4;

    /** The network: mlp, cnn or resnet, sized as in tools/bench_peer.py. */
    @Param({"mlp", "cnn", "resnet"})
    public String model;

    /** Images per step. */
    @Param({"32", "128", "256"})
    public int batchSize;

    /** cpu or gpu. */
    @Param({Fixtures.CPU, Fixtures.GPU})
    public String device;

    /** none, or norm: a callback reading the global gradient norm every step. */
    @Param({"none"})
    public String callbacks;

    private Model djlModel;
    private KeelOptimizer optimizer;
    private Trainer trainer;
    private Fit fit;
    private NDArray syncArray;

    /** Builds the model, Keel's AdamW and a {@link Fit} of one epoch of {@value #STEPS} steps. */
    @Setup(Level.Trial)
    public void setUp() {
        Device dev = Fixtures.device(device);
        ImageDataset train = Fixtures.sampleDataset(STEPS * batchSize);
        djlModel = Model.newInstance("keel-step", dev);
        djlModel.setBlock(Fixtures.block(model));
        optimizer = new AdamW(djlModel.getNDManager(), Fixtures.LEARNING_RATE, Fixtures.BETA1, Fixtures.BETA2,
                Fixtures.EPSILON, Fixtures.WEIGHT_DECAY, true);
        trainer = Fixtures.trainer(djlModel, optimizer, dev);
        List<Callback> hooks = switch (callbacks) {
            case "none" -> List.of();
            case "norm" -> List.of(new NormReader());
            default -> throw new IllegalArgumentException("callbacks: \"" + callbacks + "\" is not one of none, norm");
        };
        fit = new Fit(trainer, optimizer, train, null,
                new Fit.Settings(1, batchSize, batchSize, Fixtures.SEED), hooks);
        syncArray = Fixtures.smallestParameter(djlModel.getBlock());
    }

    /** One epoch of {@value #STEPS} steps of Keel's loop; the score is per step. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public FitResult step() {
        FitResult result = fit.run();
        Fixtures.sync(syncArray);
        return result;
    }

    /** Reads the global gradient norm every step, as Keel's divergence guard does. */
    private static final class NormReader implements Callback {
        private double norm;

        @Override
        public void onGradients(LoopState state, Gradients gradients) {
            norm = gradients.globalNorm();
        }
    }

    /** Frees the trainer, the optimizer's state and the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        optimizer.close();
        djlModel.close();
    }
}
