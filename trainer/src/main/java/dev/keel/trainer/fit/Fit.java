package dev.keel.trainer.fit;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.util.PairList;
import dev.keel.datasets.BatchBuffer;
import dev.keel.datasets.BatchSource;
import dev.keel.datasets.EpochOrder;
import dev.keel.trainer.optim.KeelOptimizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The training loop: per epoch, batches in a seeded order, forward, loss, backward, optimizer
 * update; validation after each epoch. Everything else (schedules, logging, guards, checkpoints)
 * is a {@link Callback}.
 *
 * <p>Each step runs in its own {@link NDManager} scope, so the batch and every intermediate array
 * are freed when the step ends and native memory stays flat over a long run. Batches are written
 * into one reused {@link BatchBuffer}, and the optimizer updates the parameters from their own
 * gradients ({@link KeelOptimizer#step}), without the copy of every gradient that DJL's {@code
 * Trainer.step()} makes. How a step computes (float32, or mixed precision with a loss scale) is its
 * {@link StepPrecision}. The engine's random
 * generator (dropout) is seeded from the run's seed and the step before every step, so a run
 * resumed at any step draws the same numbers as the run it continues.
 *
 * <p>With {@code syncEverySteps} above 1 the loop does not wait for each step's loss: the losses
 * stay on the device and are read back together every that many steps (and at the end of every
 * epoch), so that a GPU can queue the next steps' work meanwhile. {@code onStepEnd} then comes for
 * each of those steps in order at that point, with each step's own position, rates and loss; only
 * the last of them sees the weights of its own step ({@link StepResult#weightsCurrent()}).
 */
public final class Fit {
    /**
     * How to loop.
     *
     * @param epochs passes over the training data
     * @param batchSize training batch size; a last partial batch is dropped (batch norm dislikes tiny batches)
     * @param evalBatchSize validation batch size
     * @param seed seed of the data order and of the engine's random generator
     * @param syncEverySteps read the losses back every this many steps (1: every step)
     */
    public record Settings(int epochs, int batchSize, int evalBatchSize, long seed, int syncEverySteps) {
        public Settings {
            if (syncEverySteps < 1) {
                throw new IllegalArgumentException("syncEverySteps must be at least 1, got " + syncEverySteps);
            }
        }

        /** Settings that read every step's loss as soon as the step ends. */
        public Settings(int epochs, int batchSize, int evalBatchSize, long seed) {
            this(epochs, batchSize, evalBatchSize, seed, 1);
        }
    }

    private final Trainer trainer;
    private final KeelOptimizer optimizer;
    private final BatchSource train;
    private final BatchSource valid;
    private final Settings settings;
    private final List<Callback> callbacks;
    private final LoopState state;
    private final int batchSize;
    private final PairList<String, Parameter> parameters;
    private final BatchBuffer batchBuffer;
    private final StepPrecision precision;

    /**
     * @param trainer a DJL trainer whose optimizer is {@code optimizer}, initialised for the data's shape
     * @param valid the validation split, or null
     */
    public Fit(Trainer trainer, KeelOptimizer optimizer, BatchSource train, BatchSource valid,
            Settings settings, List<? extends Callback> callbacks) {
        this(trainer, optimizer, train, valid, settings, callbacks, StepPrecision.FLOAT32);
    }

    /**
     * @param trainer a DJL trainer whose optimizer is {@code optimizer}, initialised for the data's shape
     * @param valid the validation split, or null
     * @param precision how each step computes (validation computes in float32)
     */
    public Fit(Trainer trainer, KeelOptimizer optimizer, BatchSource train, BatchSource valid,
            Settings settings, List<? extends Callback> callbacks, StepPrecision precision) {
        this.trainer = trainer;
        this.precision = precision;
        this.optimizer = optimizer;
        this.train = train;
        this.valid = valid;
        this.settings = settings;
        List<Callback> ordered = new ArrayList<>(callbacks);
        ordered.sort(Comparator.comparing(Callback::phase)); // stable: keeps the given order within a phase
        this.callbacks = List.copyOf(ordered);
        this.batchSize = Math.min(settings.batchSize(), train.itemCount());
        // Listed once: DJL builds a new list on every call (costly for deep nets), and the
        // parameters do not change after the trainer is initialised.
        this.parameters = trainer.getModel().getBlock().getParameters();
        this.batchBuffer = train.newBuffer(batchSize);
        this.state = new LoopState(settings.epochs(), stepsPerEpoch(train.itemCount(), batchSize), batchSize);
    }

    /** Optimizer steps in one epoch of {@code items} items. */
    public static int stepsPerEpoch(int items, int batchSize) {
        return Math.max(1, items / batchSize);
    }

    /** The loop's state, for restoring a resumed run before {@link #run(LoopState.Position)}. */
    public LoopState state() {
        return state;
    }

    /** Runs every epoch from the start. */
    public FitResult run() {
        return run(LoopState.Position.START);
    }

    /** Runs from {@code start} to the end of the last epoch, or until a callback stops it. */
    public FitResult run(LoopState.Position start) {
        long startTime = System.nanoTime();
        int items = train.itemCount();
        int epoch = start.epoch();
        int step = start.stepInEpoch();
        EvalResult lastValid = null;
        state.moveTo(epoch, Math.min(step, state.stepsPerEpoch() - 1));
        notify(c -> c.onTrainBegin(state));
        while (epoch < settings.epochs() && !state.stopRequested()) {
            long epochStart = System.nanoTime();
            state.moveTo(epoch, Math.min(step, state.stepsPerEpoch() - 1));
            notify(c -> c.onEpochBegin(state));
            int[] order = EpochOrder.of(items, settings.seed(), epoch);
            LoopState.Position jump = null;
            try (PendingSteps pending = new PendingSteps(trainer.getManager())) {
                while (step < state.stepsPerEpoch() && !state.stopRequested()) {
                    state.moveTo(epoch, step);
                    notify(c -> c.onStepBegin(state));
                    state.setHyperParameters(optimizer.learningRate(), optimizer.momentum());
                    long stepStart = System.nanoTime();
                    PendingSteps.Step done = step(order, step * batchSize, (step + 1) * batchSize, pending);
                    jump = state.takeJump();
                    if (jump != null || state.stopRequested()) {
                        break;
                    }
                    pending.add(done.ranAt(state, (System.nanoTime() - stepStart) / 1e9));
                    if (isSyncPoint(step)) {
                        jump = endSteps(pending);
                        if (jump != null) {
                            break;
                        }
                    }
                    step++;
                }
            }
            if (jump != null) {
                epoch = jump.epoch();
                step = jump.stepInEpoch();
                continue;
            }
            if (state.stopRequested()) {
                break;
            }
            lastValid = valid == null || valid.itemCount() == 0
                    ? null : Evaluation.evaluate(trainer, valid, settings.evalBatchSize());
            double trainLoss = state.epochLossSum() / Math.max(1, state.epochLossCount());
            EpochResult result = new EpochResult(epoch, trainLoss, lastValid, (System.nanoTime() - epochStart) / 1e9);
            state.moveTo(epoch, state.stepsPerEpoch() - 1);
            notify(c -> c.onEpochEnd(state, result));
            state.restoreEpochLoss(0, 0);
            epoch++;
            step = 0;
        }
        FitStatus status = state.stopRequested() ? state.stopStatus() : FitStatus.COMPLETED;
        int epochsDone = status == FitStatus.COMPLETED ? settings.epochs() : epoch;
        long steps = (long) epoch * state.stepsPerEpoch() + (epoch < settings.epochs() ? step : 0);
        FitResult result = new FitResult(status, state.stopReason(), epochsDone, steps,
                (System.nanoTime() - startTime) / 1e9, lastValid);
        notify(c -> c.onTrainEnd(state, result));
        return result;
    }

    /** Whether the losses are read back after this step: every {@code syncEverySteps} steps and at each epoch's end. */
    private boolean isSyncPoint(int stepInEpoch) {
        return (state.globalStep() + 1) % settings.syncEverySteps() == 0 || stepInEpoch == state.stepsPerEpoch() - 1;
    }

    /**
     * Reads the losses of the steps not yet ended and sends {@code onStepEnd} for each, in order;
     * stops early (and drops the rest) when a callback jumps or stops the run.
     */
    private LoopState.Position endSteps(PendingSteps pending) {
        List<PendingSteps.Step> steps = pending.takeAll();
        double[] losses = PendingSteps.losses(steps);
        for (int i = 0; i < steps.size(); i++) {
            PendingSteps.Step done = steps.get(i);
            done.restore(state);
            state.recordLoss(losses[i]);
            StepResult result = new StepResult(losses[i], batchSize, done.seconds(), i == steps.size() - 1);
            notify(c -> c.onStepEnd(state, result));
            LoopState.Position jump = state.takeJump();
            if (jump != null || state.stopRequested()) {
                return jump;
            }
        }
        return null;
    }

    private PendingSteps.Step step(int[] order, int from, int to, PendingSteps pending) {
        Engine.getInstance().setRandomSeed(stepSeed(settings.seed(), state.globalStep()));
        try (NDManager scope = trainer.getManager().newSubManager()) {
            Batch batch = train.batch(scope, order, from, to, state.epoch(), batchBuffer);
            NDArray loss = precision.forwardBackward(trainer, batch, scope);
            // Reading the loss waits for the device; with syncEverySteps > 1 it stays there until
            // the next sync point, unless a callback asks for it now.
            PendingSteps.Step done = settings.syncEverySteps() == 1
                    ? PendingSteps.Step.read(loss) : pending.keep(loss);
            try (Gradients gradients = new Gradients(parameters, done::loss)) {
                if (precision.skipsUpdate(state, gradients)) {
                    gradients.discard();
                    return done;
                }
                notify(c -> c.onGradients(state, gradients));
                if (state.takeSkipUpdate()) {
                    gradients.discard();
                } else {
                    optimizer.step(parameters);
                }
            }
            return done;
        }
    }

    /** The engine seed for a step: a pure function of the run's seed and the step. */
    static int stepSeed(long seed, long globalStep) {
        long z = seed * 0x9E3779B97F4A7C15L + globalStep;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (int) ((z ^ (z >>> 31)) & 0x7fffffff);
    }

    private void notify(Consumer<Callback> event) {
        for (Callback callback : callbacks) {
            event.accept(callback);
        }
    }
}
