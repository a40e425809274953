package dev.keel.trainer.session;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import dev.keel.datasets.BatchSource;
import dev.keel.trainer.config.OptimizerConfig;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.metrics.MetricsLog;
import dev.keel.trainer.optim.KeelOptimizer;
import dev.keel.trainer.transfer.Freezer;
import dev.keel.trainer.transfer.ParameterGroups;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The live objects of one run over a {@link TrainingSetup}: DJL's model and trainer (initialised),
 * Keel's optimizer, the fine-tune recipe's freezer and the metrics log. Training and the
 * learning-rate sweep open it the same way, so a sweep starts from exactly the weights training
 * would; {@link #close()} closes all of it.
 */
public final class RunSession implements AutoCloseable {
    private final RunConfig config;
    private final TrainingSetup setup;
    private final Model model;
    private final KeelOptimizer optimizer;
    private final Trainer trainer;
    private final MetricsLog metrics;
    private final Freezer freezer;

    private RunSession(RunConfig config, TrainingSetup setup, Model model, KeelOptimizer optimizer, Trainer trainer,
            MetricsLog metrics, Freezer freezer) {
        this.config = config;
        this.setup = setup;
        this.model = model;
        this.optimizer = optimizer;
        this.trainer = trainer;
        this.metrics = metrics;
        this.freezer = freezer;
    }

    /**
     * Builds the model on {@code setup}'s block and initialises it.
     *
     * @param source the config file, for messages
     * @param metricsFile the run's metrics.jsonl to append to, or null for a session that logs none (a sweep alone)
     */
    public static RunSession open(RunConfig config, TrainingSetup setup, String source, Path metricsFile) {
        Model model = Model.newInstance(config.name(), setup.device());
        List<AutoCloseable> opened = new ArrayList<>(List.of(model));
        try {
            KeelOptimizer optimizer = KeelOptimizer.of(beforeSweep(config), model.getNDManager());
            opened.add(0, optimizer);
            model.setBlock(setup.block());
            Trainer trainer = model.newTrainer(setup.trainingConfig(optimizer));
            opened.add(0, trainer);
            MetricsLog metrics = metricsFile == null ? null
                    : new MetricsLog(metricsFile, config.train().logEverySteps());
            if (metrics != null) {
                opened.add(0, metrics);
            }
            trainer.initialize(new Shape(1).addAll(setup.itemShape()));
            return new RunSession(config, setup, model, optimizer, trainer, metrics, setup.freezer(config, source));
        } catch (RuntimeException | Error e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /**
     * The optimizer settings to build the optimizer with. Under {@code lr: auto} the rate is not
     * known yet; the sweep's first rate stands in, as the finder sets every step's rate and
     * training's schedule sets every rate after it.
     */
    private static OptimizerConfig beforeSweep(RunConfig config) {
        OptimizerConfig optimizer = config.optimizer();
        return optimizer.lr().auto() ? optimizer.withLr(config.lrFind().startLr()) : optimizer;
    }

    public RunConfig config() {
        return config;
    }

    public TrainingSetup setup() {
        return setup;
    }

    public Model model() {
        return model;
    }

    /** The network being trained. */
    public Block block() {
        return setup.block();
    }

    /** The model's memory scope: checkpoints restore weights and optimizer state into it. */
    public NDManager manager() {
        return model.getNDManager();
    }

    public KeelOptimizer optimizer() {
        return optimizer;
    }

    public Trainer trainer() {
        return trainer;
    }

    /** The run's metrics.jsonl; null in a session opened without one. */
    public MetricsLog metrics() {
        return metrics;
    }

    /** The fine-tune recipe's parameter groups and freezing; null without {@code finetune}. */
    public Freezer freezer() {
        return freezer;
    }

    /** The training split. */
    public BatchSource train() {
        return setup.train();
    }

    /**
     * Prints what trains, and how: {@code model: cnn, 313,346 parameters · adamw lr 0.0115 ·
     * one-cycle · 5 epochs x 70 steps of 128}, and the fine-tune recipe's phases and groups.
     */
    public void describe(PrintStream out, OptimizerConfig optimizerConfig, int stepsPerEpoch) {
        out.printf(Locale.ROOT, "model: %s, %,d parameters · %s lr %s · %s · %s x %d steps of %d%n",
                setup.transfer() == null ? config.model().arch() : "transfer", setup.parameterCount(),
                config.optimizer().name(), optimizerConfig.lr(),
                freezer == null ? config.schedule().name() : "fine-tune (one-cycle per phase)",
                plural(config.totalEpochs(), "epoch"), stepsPerEpoch,
                Math.min(config.data().batchSize(), train().itemCount()));
        if (freezer != null) {
            out.println("fine-tune: " + plural(config.finetune().freezeEpochs(), "epoch")
                    + " with all but the head frozen, then " + plural(config.train().epochs(), "epoch")
                    + " of everything; groups " + groupSummary());
        }
    }

    /** {@code body (6 arrays, 1,234 values) · head (2 arrays, 165 values)}. */
    private String groupSummary() {
        List<String> parts = new ArrayList<>();
        for (ParameterGroups.Group group : freezer.groups()) {
            long values = group.parameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
            parts.add(String.format(Locale.ROOT, "%s (%d arrays, %,d values)", group.name(), group.parameters().size(),
                    values));
        }
        return String.join(" · ", parts);
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    /** Closes the metrics log, the trainer, the optimizer and the model, in that order. */
    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>();
        if (metrics != null) {
            all.add(metrics);
        }
        all.addAll(List.of(trainer, optimizer, model));
        closeAll(all, null);
    }

    /** Closes each of {@code resources}; the first failure is thrown (or added to {@code pending}) after all are closed. */
    private static void closeAll(List<AutoCloseable> resources, Throwable pending) {
        Throwable first = pending;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception | Error e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (pending == null && first != null) {
            if (first instanceof RuntimeException r) {
                throw r;
            }
            if (first instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("closing the run's model failed", first);
        }
    }
}
