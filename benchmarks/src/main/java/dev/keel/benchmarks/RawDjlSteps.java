package dev.keel.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import dev.keel.datasets.BatchBuffer;
import dev.keel.datasets.EpochOrder;
import dev.keel.datasets.ImageDataset;

/**
 * The training step written directly on DJL, the way DJL's own examples write it: a per-step
 * sub-manager, a {@code GradientCollector}, {@code trainer.forward}, softmax cross-entropy, backward
 * and {@code trainer.step()} with DJL's own AdamW (tools/bench_peer.py's settings). Every
 * intermediate array is freed when the step's scope ends. It does not read the loss back to the
 * host; on a GPU it waits for the device after the update.
 *
 * <p>Three sources of batches: {@link #step} trains on one fixed batch made once (the first {@code
 * batchSize} images of the benchmark data), the step tools/bench_peer.py times in PyTorch; {@link
 * #stepOnData} assembles each step's batch from the data into one reused {@link BatchBuffer}, the
 * data work Keel's loop does; {@link #stepOnFreshData} assembles it into fresh memory, as DJL's own
 * datasets do.
 */
final class RawDjlSteps implements AutoCloseable {
    private final Model model;
    private final Trainer trainer;
    private final ImageDataset data;
    private final int[] order;
    private final int batchSize;
    private final NDList fixedData;
    private final NDList fixedLabels;
    private final BatchBuffer batchBuffer;
    private int nextBatch;

    /**
     * @param items images in the benchmark data: {@link #stepOnData} and {@link #stepOnFreshData}
     *     cycle through them in a shuffled order
     */
    RawDjlSteps(String modelName, int batchSize, Device device, int items) {
        this.batchSize = batchSize;
        this.data = Fixtures.sampleDataset(items);
        this.order = EpochOrder.of(data.itemCount(), Fixtures.SEED, 0);
        this.model = Model.newInstance("raw-djl-step", device);
        model.setBlock(Fixtures.block(modelName));
        this.trainer = Fixtures.trainer(model, Fixtures.djlAdamW(), device);
        Batch batch = data.batch(trainer.getManager(), order, 0, batchSize);
        this.fixedData = batch.getData();
        this.fixedLabels = batch.getLabels();
        this.batchBuffer = new BatchBuffer(batchSize, data.images().imageSize());
    }

    /** One step on the fixed batch. */
    void step() {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            // Intermediate arrays join their input's manager: attached to the scope, they die with it.
            scope.tempAttachAll(fixedData, fixedLabels);
            trainStep(fixedData, fixedLabels);
        }
    }

    /** One step on the next batch of the data, written into one reused buffer as Keel's loop does. */
    void stepOnData() {
        int from = nextFrom();
        try (NDManager scope = trainer.getManager().newSubManager()) {
            Batch batch = data.batch(scope, order, from, from + batchSize, batchBuffer);
            trainStep(batch.getData(), batch.getLabels());
        }
    }

    /** One step on the next batch of the data, written into fresh memory as DJL's datasets do. */
    void stepOnFreshData() {
        int from = nextFrom();
        try (NDManager scope = trainer.getManager().newSubManager()) {
            Batch batch = data.batch(scope, order, from, from + batchSize);
            trainStep(batch.getData(), batch.getLabels());
        }
    }

    private int nextFrom() {
        int batches = data.itemCount() / batchSize;
        int from = nextBatch * batchSize;
        nextBatch = (nextBatch + 1) % batches;
        return from;
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
    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
