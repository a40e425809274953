package dev.keel.benchmarks;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pieces of work Keel's loop does in every step beyond the raw DJL step, each timed alone, in
 * microseconds: re-seeding the engine's generator, reading the loss back to the host, listing the
 * block's parameters for the {@code Gradients} hook, and opening and closing a step scope (which
 * the raw step does too). Batch assembly is {@link DataLoadingBenchmark}'s. Run with {@code -prof
 * gc} to see the bytes each allocates.
 *
 * <p>Settings: one fork, 3 x 2 s warm-up, 5 x 2 s measured (the operations take microseconds),
 * one thread.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LoopOverheadBenchmark extends BenchmarkSettings {
    /** The network whose parameters are listed. */
    @Param({"mlp", "cnn", "resnet"})
    public String model;

    /** cpu or gpu. */
    @Param({Fixtures.CPU, Fixtures.GPU})
    public String device;

    private Model djlModel;
    private NDManager manager;
    private NDArray loss;
    private int seed;

    /** Builds and initialises the model and a scalar standing in for the loss. */
    @Setup(Level.Trial)
    public void setUp() {
        djlModel = Model.newInstance("loop-overhead", Fixtures.device(device));
        Block block = Fixtures.block(model);
        djlModel.setBlock(block);
        block.initialize(djlModel.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(Fixtures.IMAGE_SHAPE));
        manager = djlModel.getNDManager().newSubManager();
        loss = manager.create(2.3f);
    }

    /** {@code Engine.setRandomSeed}, which Keel's loop calls before every step. */
    @Benchmark
    public int engineSeed() {
        Engine.getInstance().setRandomSeed(++seed);
        return seed;
    }

    /** {@code loss.getFloat()}: the loss read back to the host (on a GPU a copy that waits for the device). */
    @Benchmark
    public float lossToHost() {
        return loss.getFloat();
    }

    /** {@code block.getParameters()}, which Keel's loop calls every step to build its {@code Gradients}. */
    @Benchmark
    public PairList<String, Parameter> parameterList() {
        return djlModel.getBlock().getParameters();
    }

    /** A step scope opened and closed, empty: both loops pay it. */
    @Benchmark
    public void stepScope() {
        try (NDManager scope = manager.newSubManager()) {
            scope.getDevice();
        }
    }

    /** Frees the arrays and the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
        djlModel.close();
    }
}
