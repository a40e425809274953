package dev.keel.trainer.lrfind;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import dev.keel.datasets.BatchSource;
import dev.keel.trainer.config.LrFindConfig;
import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.Fit;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.Phase;
import dev.keel.trainer.fit.StepResult;
import dev.keel.trainer.metrics.SmoothedLoss;
import dev.keel.trainer.model.ParameterNames;
import dev.keel.trainer.model.WeightSnapshot;
import dev.keel.trainer.optim.KeelOptimizer;
import dev.keel.trainer.optim.OptimizerState;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * fastai's learning-rate finder: trains for up to {@code steps} steps while the rate grows
 * exponentially from {@code start} to {@code end}, records the loss of each step, and stops once
 * the smoothed loss passes four times its best (or stops being finite). The curve of loss against
 * rate shows where the model learns fastest; {@link LrSuggestions} reads rates off it.
 *
 * <p>{@link #sweep} runs it through the {@link Fit} loop, so the sweep trains with exactly Keel's
 * training step, and leaves the model and optimizer bit for bit as it found them. As a callback on
 * its own it only sets the rate and watches the loss.
 */
public final class LrFinder implements Callback {
    /** The sweep stops when the smoothed loss exceeds this multiple of its best. */
    static final double DIVERGENCE = 4;

    /**
     * The sweep: rate {@code i} is {@code start * (end / start)^(i / (steps - 1))}.
     *
     * @param start the first step's rate, > 0
     * @param end the last step's rate, > start
     * @param steps the steps of a full sweep, >= 2
     * @param suggestion the suggestion to train with
     */
    public record Settings(double start, double end, int steps, LrSuggestion suggestion) {
        /** fastai's defaults: 1e-7 to 10 over 100 steps, valley. */
        public static final Settings DEFAULT = new Settings(1e-7, 10, 100, LrSuggestion.VALLEY);

        /** A sweep that trains with fastai's default suggestion, valley. */
        public Settings(double start, double end, int steps) {
            this(start, end, steps, LrSuggestion.VALLEY);
        }

        /** The sweep a config's {@code lr_find} section describes (validated on load). */
        public static Settings of(LrFindConfig config) {
            return new Settings(config.startLr(), config.endLr(), config.steps(), LrSuggestion.of(config.suggestion()));
        }

        /** @throws IllegalArgumentException when the range or the step count is unusable */
        public Settings {
            if (!(start > 0 && Double.isFinite(start))) {
                throw new IllegalArgumentException("start must be a number > 0, got " + start);
            }
            if (!(end > start && Double.isFinite(end))) {
                throw new IllegalArgumentException("end must be a number > start (" + start + "), got " + end);
            }
            if (steps < 2) {
                throw new IllegalArgumentException("steps must be >= 2, got " + steps);
            }
            if (suggestion == null) {
                throw new IllegalArgumentException("suggestion must be one of " + LrSuggestion.labels());
            }
        }

        /** The rate of step {@code i}, 0-based. */
        public double learningRateAt(int i) {
            return start * Math.pow(end / start, (double) i / (steps - 1));
        }
    }

    private final Settings settings;
    private final KeelOptimizer optimizer;
    private final double[] lrs;
    private final double[] losses;
    private final double[] smoothed;
    private int count;
    private final SmoothedLoss smoothedLoss = new SmoothedLoss();
    private double best = Double.POSITIVE_INFINITY;
    private LrFinderResult.Stop stop;

    /** A finder that sets {@code optimizer}'s rate before each step; see {@link #sweep} to run one. */
    public LrFinder(Settings settings, KeelOptimizer optimizer) {
        this.settings = settings;
        this.optimizer = optimizer;
        this.lrs = new double[settings.steps()];
        this.losses = new double[settings.steps()];
        this.smoothed = new double[settings.steps()];
    }

    /**
     * Sweeps on {@code train} in its seeded epoch order, then restores the model's parameters
     * (batch-norm statistics included) and the optimizer's state, rate and momentum exactly.
     *
     * @param trainer an initialised DJL trainer whose optimizer is {@code optimizer}
     * @param batchSize the training batch size (a partial last batch is dropped, as in training)
     * @param seed the run's seed: data order and the engine's per-step seed, as in training
     * @param progress where a progress line goes, or null for none
     * @param terminal whether {@code progress} is a terminal (one line redrawn) or a log (a line now and then)
     */
    public static LrFinderResult sweep(Trainer trainer, KeelOptimizer optimizer, BatchSource train, int batchSize,
            long seed, Settings settings, PrintStream progress, boolean terminal) {
        int batch = Math.min(batchSize, train.itemCount());
        int stepsPerEpoch = Fit.stepsPerEpoch(train.itemCount(), batch);
        int epochs = (settings.steps() + stepsPerEpoch - 1) / stepsPerEpoch;
        LrFinder finder = new LrFinder(settings, optimizer);
        List<Callback> callbacks = new ArrayList<>(List.of(finder));
        if (progress != null) {
            callbacks.add(new LrFindProgress(finder, progress, terminal));
        }
        Block block = trainer.getModel().getBlock();
        long start = System.nanoTime();
        try (NDManager saved = trainer.getManager().newSubManager()) {
            NDList weights = WeightSnapshot.take(block, saved);
            OptimizerState state = optimizer.exportState(ParameterNames.byId(block), saved);
            try {
                new Fit(trainer, optimizer, train, null, new Fit.Settings(epochs, batchSize, batchSize, seed),
                        callbacks).run();
            } finally {
                WeightSnapshot.restore(block, weights);
                optimizer.importState(state, ParameterNames.byName(block));
            }
        }
        return finder.result((System.nanoTime() - start) / 1e9);
    }

    @Override
    public Phase phase() {
        return Phase.CONTROL;
    }

    @Override
    public void onStepBegin(LoopState state) {
        optimizer.setLearningRate(settings.learningRateAt(count));
    }

    @Override
    public void onStepEnd(LoopState state, StepResult step) {
        int i = count;
        lrs[i] = settings.learningRateAt(i);
        losses[i] = step.loss();
        smoothed[i] = smoothedLoss.add(step.loss());
        count++;
        if (!Double.isFinite(smoothed[i])) {
            stop = LrFinderResult.Stop.NOT_FINITE;
        } else {
            best = Math.min(best, smoothed[i]);
            if (smoothed[i] > DIVERGENCE * best) {
                stop = LrFinderResult.Stop.DIVERGED;
            } else if (count == settings.steps()) {
                stop = LrFinderResult.Stop.COMPLETE;
            }
        }
        if (stop != null) {
            state.requestStop(FitStatus.STOPPED, String.format(Locale.ROOT, "lr finder: %s at lr %.3g",
                    stop.reason(), lrs[i]));
        }
    }

    /** The settings of this sweep. */
    public Settings settings() {
        return settings;
    }

    /** Steps recorded so far. */
    public int stepsDone() {
        return count;
    }

    /** The rate of the last recorded step, NaN before the first. */
    public double lastLearningRate() {
        return count == 0 ? Double.NaN : lrs[count - 1];
    }

    /** The smoothed loss after the last recorded step, NaN before the first. */
    public double lastSmoothedLoss() {
        return count == 0 ? Double.NaN : smoothed[count - 1];
    }

    /** What was recorded so far, with the suggestions it gives. */
    public LrFinderResult result(double seconds) {
        double[] rates = Arrays.copyOf(lrs, count);
        double[] smooth = Arrays.copyOf(smoothed, count);
        LrFinderResult.Stop why = stop == null ? LrFinderResult.Stop.LOOP_ENDED : stop;
        return new LrFinderResult(settings, rates, Arrays.copyOf(losses, count), smooth, why,
                LrSuggestions.of(rates, smooth, settings.steps()), seconds);
    }
}
