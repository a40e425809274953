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

/**
 * Training steps through Keel's own loop, {@link Fit}: per-step {@code NDManager} scope, the batch
 * assembled from the dataset, forward, softmax cross-entropy, backward, the loss read back to the
 * host, the {@code Gradients} hook, and Keel's {@link AdamW} update (tools/bench_peer.py's
 * settings, constant: no schedule, no other callbacks unless asked for). {@code Fit} runs whole
 * epochs, so {@link #epoch} runs one epoch of {@link #stepsPerEpoch} steps over the first {@code
 * stepsPerEpoch * batchSize} images of the bundled sample, without validation.
 */
final class KeelSteps implements AutoCloseable {
    private final Model model;
    private final KeelOptimizer optimizer;
    private final Trainer trainer;
    private final Fit fit;
    private final NDArray syncArray;
    private final int stepsPerEpoch;

    /**
     * @param callbacks none, or norm: a callback reading the global gradient norm every step, as
     *     Keel's divergence guard does
     */
    KeelSteps(String modelName, int batchSize, Device device, int stepsPerEpoch, String callbacks) {
        this.stepsPerEpoch = stepsPerEpoch;
        ImageDataset train = Fixtures.sampleDataset(stepsPerEpoch * batchSize);
        this.model = Model.newInstance("keel-step", device);
        model.setBlock(Fixtures.block(modelName));
        this.optimizer = new AdamW(model.getNDManager(), Fixtures.LEARNING_RATE, Fixtures.BETA1, Fixtures.BETA2,
                Fixtures.EPSILON, Fixtures.WEIGHT_DECAY, true);
        this.trainer = Fixtures.trainer(model, optimizer, device);
        List<Callback> hooks = switch (callbacks) {
            case "none" -> List.of();
            case "norm" -> List.of(new NormReader());
            default -> throw new IllegalArgumentException("callbacks: \"" + callbacks + "\" is not one of none, norm");
        };
        this.fit = new Fit(trainer, optimizer, train, null,
                new Fit.Settings(1, batchSize, batchSize, Fixtures.SEED), hooks);
        this.syncArray = Fixtures.smallestParameter(model.getBlock());
    }

    /** The steps {@link #epoch} runs. */
    int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** One epoch of Keel's loop; on a GPU it waits for the device after the last update. */
    FitResult epoch() {
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
    @Override
    public void close() {
        trainer.close();
        optimizer.close();
        model.close();
    }
}
