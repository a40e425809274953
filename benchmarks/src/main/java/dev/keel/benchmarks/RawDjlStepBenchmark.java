package dev.keel.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The training step of {@link KeelStepBenchmark} written directly on DJL, the way DJL's own
 * examples write it: a per-step sub-manager, a {@code GradientCollector}, {@code trainer.forward},
 * softmax cross-entropy, backward and {@code trainer.step()} with DJL's own AdamW (lr 1e-3, betas
 * 0.9/0.999, eps 1e-8, weight decay 0.01, as tools/bench_peer.py). Same models, same images.
 *
 * <p>{@code step} trains on one fixed batch made once (the first {@code batchSize} images of
 * Keel's benchmark data), temporarily attached to each step's scope so that every intermediate
 * array is freed when the step ends: this is the step tools/bench_peer.py times in PyTorch. {@code
 * stepOnData} assembles each step's batch from the data into one reused buffer, exactly the data
 * work of Keel's loop, so that {@code KeelStepBenchmark.step - stepOnData} is what Keel's loop
 * itself costs and {@code stepOnData - step} what reading real data costs. {@code stepOnFreshData}
 * assembles each batch into fresh memory, as DJL's own datasets do. None reads the loss back to
 * the host; on a GPU all wait for the device after the update, as tools/bench_peer.py does. The
 * steps themselves are {@link RawDjlSteps}'s, which {@link StepComparison} shares.
 *
 * <p>Settings as in {@link KeelStepBenchmark}: one fork, 3 x 5 s warm-up, 5 x 5 s measured, one
 * benchmark thread, the environment inherited from the runner, {@code device=gpu} skipped where
 * PyTorch sees no GPU.
 */
public class RawDjlStepBenchmark extends BenchmarkSettings {
    /** The network: mlp, cnn or resnet, sized as in tools/bench_peer.py. */
    @Param({"mlp", "cnn", "resnet"})
    public String model;

    /** Images per step. */
    @Param({"32", "128", "256"})
    public int batchSize;

    /** cpu or gpu. */
    @Param({Fixtures.CPU, Fixtures.GPU})
    public String device;

    private RawDjlSteps steps;

    /** Builds the model with DJL's AdamW and the fixed batch. */
    @Setup(Level.Trial)
    public void setUp() {
        steps = new RawDjlSteps(model, batchSize, Fixtures.device(device), KeelStepBenchmark.STEPS * batchSize);
    }

    /** One step on the fixed batch. */
    @Benchmark
    public void step() {
        steps.step();
    }

    /** One step on the next batch of the data, assembled into one reused buffer as Keel's loop does. */
    @Benchmark
    public void stepOnData() {
        steps.stepOnData();
    }

    /** One step on the next batch of the data, assembled into fresh memory as DJL's datasets do. */
    @Benchmark
    public void stepOnFreshData() {
        steps.stepOnFreshData();
    }

    /** Frees the trainer, the fixed batch and the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        steps.close();
    }
}
