package dev.keel.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import dev.keel.datasets.EpochOrder;
import dev.keel.datasets.ImageDataset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The training step of {@link KeelStepBenchmark} written directly on DJL, the way DJL's own
 * examples write it: a per-step sub-manager, a {@code GradientCollector}, {@code trainer.forward},
 * softmax cross-entropy, backward and {@code trainer.step()} with DJL's own AdamW (lr 1e-3, betas
 * 0.9/0.999, eps 1e-8, weight decay 0.01, as tools/bench_peer.py). Same models, same images.
 *
 * <p>{@code step} trains on one fixed batch made once (the first {@code batchSize} images of
 * Keel's benchmark data), temporarily attached to each step's scope so that every intermediate
 * array is freed when the step ends: this is the step tools/bench_peer.py times in PyTorch. {@code
 * stepFromDataset} assembles each step's batch with {@code ImageDataset.batch} as Keel's loop does,
 * so that {@code KeelStepBenchmark.step - stepFromDataset} is the loop's own overhead and {@code
 * stepFromDataset - step} the batch assembly. Neither reads the loss back to the host; on a GPU
 * both wait for the device after the update, as tools/bench_peer.py does.
 *
 * <p>Settings as in {@link KeelStepBenchmark}: one fork, 3 x 5 s warm-up, 5 x 5 s measured, one
 * benchmark thread, the environment inherited from the runner, {@code device=gpu} skipped where
 * PyTorch sees no GPU.
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
public class RawDjlStepBenchmark {
    /** The network: mlp, cnn or resnet, sized as in tools/bench_peer.py. */
    @Param({"mlp", "cnn", "resnet"})
    public String model;

    /** Images per step. */
    @Param({"32", "128", "256"})
    public int batchSize;

    /** cpu or gpu. */
    @Param({Fixtures.CPU, Fixtures.GPU})
    public String device;

    private Model djlModel;
    private Trainer trainer;
    private ImageDataset train;
    private int[] order;
    private int nextStep;
    private NDList data;
    private NDList labels;

    /** Builds the model with DJL's AdamW and the fixed batch. */
    @Setup(Level.Trial)
    public void setUp() {
        Device dev = Fixtures.device(device);
        train = Fixtures.sampleDataset(KeelStepBenchmark.STEPS * batchSize);
        order = EpochOrder.of(train.itemCount(), Fixtures.SEED, 0);
        djlModel = Model.newInstance("raw-djl-step", dev);
        djlModel.setBlock(Fixtures.block(model));
        trainer = Fixtures.trainer(djlModel, Fixtures.djlAdamW(), dev);
        Batch batch = train.batch(trainer.getManager(), order, 0, batchSize);
        data = batch.getData();
        labels = batch.getLabels();
    }

    /** One step on the fixed batch. */
    @Benchmark
    public void step() {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            // Intermediate arrays join their input's manager: attached to the scope, they die with it.
            scope.tempAttachAll(data, labels);
            trainStep(data, labels);
        }
    }

    /** One step on a batch assembled from the dataset, as Keel's loop does it. */
    @Benchmark
    public void stepFromDataset() {
        int from = nextStep * batchSize;
        nextStep = (nextStep + 1) % KeelStepBenchmark.STEPS;
        try (NDManager scope = trainer.getManager().newSubManager()) {
            Batch batch = train.batch(scope, order, from, from + batchSize);
            trainStep(batch.getData(), batch.getLabels());
        }
    }

    private void trainStep(NDList x, NDList y) {
        NDArray loss;
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDList predictions = trainer.forward(x);
            loss = trainer.getLoss().evaluate(y, predictions);
            collector.backward(loss);
        }
        trainer.step();
        Fixtures.sync(loss);
    }

    /** Frees the trainer, the fixed batch and the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        trainer.close();
        djlModel.close();
    }
}
