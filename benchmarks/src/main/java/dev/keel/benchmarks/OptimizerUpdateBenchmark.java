package dev.keel.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import dev.keel.datasets.EpochOrder;
import dev.keel.datasets.ImageDataset;
import dev.keel.trainer.optim.AdamW;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The AdamW update alone, over every parameter of a model: Keel's {@link AdamW} against DJL's own
 * ({@code optimizer=keel|djl}), with the same settings (lr 1e-3, betas 0.9/0.999, eps 1e-8,
 * weight decay 0.01).
 *
 * <p>The gradients are those of one real batch of 128 images, computed once and kept, so the
 * moments stay in the normal float range however long the benchmark runs (all-zero gradients
 * would decay them into denormals, which are slow). Two ways in:
 * <ul>
 *   <li>{@code update}: {@code optimizer.update(id, weight, gradient)} per parameter, nothing else;
 *   <li>{@code trainerStep}: DJL's {@code Trainer.step()}, the path both training loops take, which
 *       also fetches every gradient and copies it once more before calling {@code update}; the
 *       kept gradients are written back into the parameters before each invocation, untimed.
 * </ul>
 *
 * <p>Settings as in {@link KeelStepBenchmark}.
 */
public class OptimizerUpdateBenchmark extends BenchmarkSettings {
    private static final int GRADIENT_BATCH = 128;

    /** The network whose parameters are updated. */
    @Param({"mlp", "cnn", "resnet"})
    public String model;

    /** keel (Keel's AdamW) or djl (DJL's AdamW). */
    @Param({"keel", "djl"})
    public String optimizer;

    /** cpu or gpu. */
    @Param({Fixtures.CPU, Fixtures.GPU})
    public String device;

    private Model djlModel;
    private Optimizer adamW;
    private Trainer trainer;
    private NDManager kept;
    private final List<String> ids = new ArrayList<>();
    private final List<NDArray> weights = new ArrayList<>();
    private final List<NDArray> gradients = new ArrayList<>();
    private NDArray syncArray;
    private boolean restoreBeforeEachCall;

    /** Builds the model and optimizer, takes one real step, and keeps the next batch's gradients. */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        restoreBeforeEachCall = params.getBenchmark().endsWith(".trainerStep");
        Device dev = Fixtures.device(device);
        djlModel = Model.newInstance("optimizer-update", dev);
        djlModel.setBlock(Fixtures.block(model));
        adamW = switch (optimizer) {
            case "keel" -> new AdamW(djlModel.getNDManager(), Fixtures.LEARNING_RATE, Fixtures.BETA1,
                    Fixtures.BETA2, Fixtures.EPSILON, Fixtures.WEIGHT_DECAY, true);
            case "djl" -> Fixtures.djlAdamW();
            default -> throw new IllegalArgumentException("optimizer: \"" + optimizer + "\" is not one of keel, djl");
        };
        trainer = Fixtures.trainer(djlModel, adamW, dev);
        ImageDataset data = Fixtures.sampleDataset(GRADIENT_BATCH);
        int[] order = EpochOrder.of(GRADIENT_BATCH, Fixtures.SEED, 0);
        backward(data, order);
        trainer.step(); // DJL checks on the first step that some gradient is non-zero
        backward(data, order);
        kept = djlModel.getNDManager().newSubManager();
        for (Pair<String, Parameter> pair : djlModel.getBlock().getParameters()) {
            NDArray weight = pair.getValue().getArray();
            if (weight.hasGradient()) {
                try (NDArray gradient = weight.getGradient()) {
                    NDArray copy = gradient.duplicate();
                    copy.attach(kept);
                    gradients.add(copy);
                }
                ids.add(pair.getValue().getId());
                weights.add(weight);
            }
        }
        syncArray = Fixtures.smallestParameter(djlModel.getBlock());
    }

    private void backward(ImageDataset data, int[] order) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            Batch batch = data.batch(scope, order, 0, GRADIENT_BATCH);
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(batch.getData());
                collector.backward(trainer.getLoss().evaluate(batch.getLabels(), predictions));
            }
        }
    }

    /** Writes the kept gradients back into the parameters, which the last update zeroed. */
    @Setup(Level.Invocation)
    public void restoreGradients() {
        if (!restoreBeforeEachCall) {
            return;
        }
        for (int i = 0; i < weights.size(); i++) {
            try (NDArray gradient = weights.get(i).getGradient()) {
                gradient.addi(gradients.get(i));
            }
        }
        Fixtures.sync(syncArray);
    }

    /** The optimizer's update of every parameter, called directly. */
    @Benchmark
    public void update() {
        for (int i = 0; i < weights.size(); i++) {
            adamW.update(ids.get(i), weights.get(i), gradients.get(i));
        }
        Fixtures.sync(syncArray);
    }

    /** DJL's {@code Trainer.step()}: fetch and copy every gradient, then update. */
    @Benchmark
    public void trainerStep() {
        trainer.step();
        Fixtures.sync(syncArray);
    }

    /** Frees the kept gradients, the trainer, the optimizer's state and the model. */
    @TearDown(Level.Trial)
    public void tearDown() {
        kept.close();
        trainer.close();
        if (adamW instanceof AdamW keel) {
            keel.close();
        }
        djlModel.close();
    }
}
