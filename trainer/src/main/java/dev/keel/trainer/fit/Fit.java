package dev.keel.trainer.fit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import dev.keel.datasets.EpochOrder;
import dev.keel.datasets.ImageDataset;
import dev.keel.trainer.optim.KeelOptimizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The training loop: per epoch, batches in a seeded order, forward, loss, backward, optimizer
 * update; validation after each epoch. Everything else (schedules, logging, progress) is a
 * {@link Callback}.
 *
 * <p>Each step runs in its own {@link NDManager} scope, so the batch and every intermediate array
 * are freed when the step ends and native memory stays flat over a long run.
 */
public final class Fit {
    /**
     * How to loop.
     *
     * @param epochs passes over the training data
     * @param batchSize training batch size; a last partial batch is dropped (batch norm dislikes tiny batches)
     * @param evalBatchSize validation batch size
     * @param seed seed of the data order
     */
    public record Settings(int epochs, int batchSize, int evalBatchSize, long seed) {}

    private final Trainer trainer;
    private final KeelOptimizer optimizer;
    private final ImageDataset train;
    private final ImageDataset valid;
    private final Settings settings;
    private final List<Callback> callbacks;

    /**
     * @param trainer a DJL trainer whose optimizer is {@code optimizer}, initialised for the data's shape
     * @param valid the validation split, or null
     */
    public Fit(Trainer trainer, KeelOptimizer optimizer, ImageDataset train, ImageDataset valid,
            Settings settings, List<? extends Callback> callbacks) {
        this.trainer = trainer;
        this.optimizer = optimizer;
        this.train = train;
        this.valid = valid;
        this.settings = settings;
        List<Callback> ordered = new ArrayList<>(callbacks);
        ordered.sort(Comparator.comparing(Callback::phase)); // stable: keeps the given order within a phase
        this.callbacks = List.copyOf(ordered);
    }

    /** Optimizer steps in one epoch of {@code items} items. */
    public static int stepsPerEpoch(int items, int batchSize) {
        return Math.max(1, items / batchSize);
    }

    /** Runs every epoch and returns how it went. */
    public FitResult run() {
        int items = train.itemCount();
        int batchSize = Math.min(settings.batchSize(), items);
        LoopState state = new LoopState(settings.epochs(), stepsPerEpoch(items, batchSize), batchSize);
        long start = System.nanoTime();
        notify(c -> c.onTrainBegin(state));
        EvalResult lastValid = null;
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            long epochStart = System.nanoTime();
            state.moveTo(epoch, 0);
            notify(c -> c.onEpochBegin(state));
            int[] order = EpochOrder.of(items, settings.seed(), epoch);
            double lossSum = 0;
            for (int step = 0; step < state.stepsPerEpoch(); step++) {
                state.moveTo(epoch, step);
                notify(c -> c.onStepBegin(state));
                state.setHyperParameters(optimizer.learningRate(), optimizer.momentum());
                long stepStart = System.nanoTime();
                double loss = step(order, step * batchSize, (step + 1) * batchSize);
                StepResult result = new StepResult(loss, batchSize, (System.nanoTime() - stepStart) / 1e9);
                lossSum += loss;
                state.setLastLoss(loss);
                notify(c -> c.onStepEnd(state, result));
            }
            lastValid = valid == null || valid.itemCount() == 0
                    ? null : Evaluation.evaluate(trainer, valid, settings.evalBatchSize());
            EpochResult result = new EpochResult(epoch, lossSum / state.stepsPerEpoch(), lastValid,
                    (System.nanoTime() - epochStart) / 1e9);
            notify(c -> c.onEpochEnd(state, result));
        }
        FitResult result = new FitResult(settings.epochs(), state.totalSteps(), (System.nanoTime() - start) / 1e9,
                lastValid);
        notify(c -> c.onTrainEnd(state, result));
        return result;
    }

    private double step(int[] order, int from, int to) {
        try (NDManager scope = trainer.getManager().newSubManager()) {
            Batch batch = train.batch(scope, order, from, to);
            NDArray loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(batch.getData());
                loss = trainer.getLoss().evaluate(batch.getLabels(), predictions);
                collector.backward(loss);
            }
            trainer.step();
            return loss.getFloat();
        }
    }

    private void notify(Consumer<Callback> event) {
        for (Callback callback : callbacks) {
            event.accept(callback);
        }
    }
}
