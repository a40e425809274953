package dev.keel.benchmarks;

import dev.keel.trainer.fit.Fit;
import dev.keel.trainer.fit.FitResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One training step through Keel's own loop, {@link Fit} ({@link KeelSteps}): per-step {@code
 * NDManager} scope, the batch assembled into a reused buffer, forward, softmax cross-entropy,
 * backward, the loss read back to the host, the {@code Gradients} hook, and Keel's AdamW update (lr
 * 1e-3, weight decay 0.01, constant: no schedule callback, no other callbacks).
 *
 * <p>{@code Fit} has no single-step entry point, so each invocation runs one epoch of
 * {@value #STEPS} steps over the first {@code STEPS * batchSize} images of the bundled
 * Fashion-MNIST sample, without validation, and the score is divided by {@value #STEPS}: it reads
 * as milliseconds per step. The per-epoch work this adds (shuffling {@code STEPS * batchSize}
 * indices, a handful of callback events) is microseconds against steps of milliseconds.
 * {@link RawDjlStepBenchmark} times the same step written directly on DJL, on one fixed batch
 * ({@code step}) and on the same batches as Keel's loop ({@code stepOnData}); {@link
 * StepComparison} sets them against each other in one JVM, which is the comparison to read for
 * differences of a few per cent.
 *
 * <p>Settings, chosen for a 2-core machine: one fork, 3 warm-up iterations of 5 s (the JIT needs
 * seconds; 10 warm-up steps read 2x slow), 5 measured iterations of 5 s, one benchmark thread
 * (libtorch runs its own intra-op threads: {@code -jvmArgsPrepend -Dai.djl.pytorch.num_threads=N}
 * pins them). Forks inherit the runner's environment: export {@code ONEDNN_MAX_CPU_ISA=AVX2} (the
 * cap Keel chooses for the cnn and resnet) and the {@code MALLOC_*} settings of the {@code keel}
 * launcher before running, as tools/bench_compare.py does. {@code device=gpu} is skipped with a
 * message where PyTorch sees no GPU.
 */
public class KeelStepBenchmark extends BenchmarkSettings {
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

    private KeelSteps steps;

    /** Builds the model, Keel's AdamW and a {@link Fit} of one epoch of {@value #STEPS} steps. */
    @Setup(Level.Trial)
    public void setUp() {
        steps = new KeelSteps(model, batchSize, Fixtures.device(device), STEPS, callbacks);
    }

    /** One epoch of {@value #STEPS} steps of Keel's loop; the score is per step. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public FitResult step() {
        return steps.epoch();
    }

    /** Frees the trainer, the optimizer's state and the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        steps.close();
    }
}
