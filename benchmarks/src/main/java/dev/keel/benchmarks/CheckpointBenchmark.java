package dev.keel.benchmarks;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Saving and loading a model's parameters in DJL's format ({@code Block.saveParameters} and
 * {@code loadParameters}, what {@code Model.save} and {@code Model.load} write and read after their
 * header), to a byte array ({@code target=memory}: serialisation alone) or to a temporary file
 * ({@code target=file}: through the page cache, no fsync).
 *
 * <p>Scores are saves or loads per second; the secondary result {@code megabytes} is the same
 * rate in megabytes (10^6 bytes) of parameter file per second. Loading creates fresh arrays, as
 * {@code Model.load} does, into a block built anew, in a scope closed after each load; on a GPU
 * that includes the copies to and from the device.
 *
 * <p>Settings as in {@link KeelStepBenchmark}, except that the score is a throughput.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CheckpointBenchmark extends BenchmarkSettings {
    /** The network whose parameters are saved and loaded. */
    @Param({"mlp", "cnn", "resnet"})
    public String model;

    /** memory (a byte array) or file (a temporary file). */
    @Param({"memory", "file"})
    public String target;

    /** cpu or gpu: where the parameters live. */
    @Param({Fixtures.CPU, Fixtures.GPU})
    public String device;

    /** Megabytes of parameter file moved, which JMH reports per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        /** Megabytes saved or loaded in this iteration. */
        public double megabytes;

        /** Starts every iteration at zero. */
        @Setup(Level.Iteration)
        public void reset() {
            megabytes = 0;
        }
    }

    private Model djlModel;
    private Block loadTarget;
    private byte[] saved;
    private double savedMegabytes;
    private ByteArrayOutputStream buffer;
    private Path file;
    private boolean onGpu;

    /** Builds and initialises the model, saves it once, and writes the file that loads read. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (!target.equals("memory") && !target.equals("file")) {
            throw new IllegalArgumentException("target: \"" + target + "\" is not one of memory, file");
        }
        Device dev = Fixtures.device(device);
        onGpu = dev.isGpu();
        djlModel = Model.newInstance("checkpoint", dev);
        Block block = Fixtures.block(model);
        djlModel.setBlock(block);
        block.initialize(djlModel.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(Fixtures.IMAGE_SHAPE));
        buffer = new ByteArrayOutputStream(1 << 20);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            block.saveParameters(out);
        }
        saved = buffer.toByteArray();
        savedMegabytes = saved.length / 1e6;
        file = Files.createTempFile("keel-checkpoint-benchmark", ".params");
        Files.write(file, saved);
        loadTarget = Fixtures.block(model);
        System.out.printf("%n%s: %,d parameters, %,d bytes of parameter file%n", model,
                Fixtures.parameterCount(block), saved.length);
    }

    /** Saves every parameter. */
    @Benchmark
    public void save(Bytes bytes) throws IOException {
        OutputStream sink;
        if (target.equals("memory")) {
            buffer.reset();
            sink = buffer;
        } else {
            sink = new BufferedOutputStream(Files.newOutputStream(file));
        }
        try (DataOutputStream out = new DataOutputStream(sink)) {
            djlModel.getBlock().saveParameters(out);
        }
        bytes.megabytes += savedMegabytes;
    }

    /** Loads every parameter into fresh arrays. */
    @Benchmark
    public void load(Bytes bytes) throws IOException, MalformedModelException {
        InputStream source = target.equals("memory")
                ? new ByteArrayInputStream(saved) : new BufferedInputStream(Files.newInputStream(file));
        try (DataInputStream in = new DataInputStream(source);
                NDManager scope = djlModel.getNDManager().newSubManager()) {
            loadTarget.loadParameters(scope, in);
            if (onGpu) {
                Fixtures.sync(Fixtures.smallestParameter(loadTarget));
            }
        }
        bytes.megabytes += savedMegabytes;
    }

    /** Deletes the file and frees the model. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
        djlModel.close();
    }
}
