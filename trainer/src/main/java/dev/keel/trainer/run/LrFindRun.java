package dev.keel.trainer.run;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.datasets.BatchSource;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.OptimizerConfig;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.metrics.MetricsLog;
import dev.keel.trainer.optim.KeelOptimizer;
import dev.keel.trainer.lrfind.LrFindPlot;
import dev.keel.trainer.lrfind.LrFinder;
import dev.keel.trainer.lrfind.LrFinderResult;
import dev.keel.trainer.model.TorchScriptModules;
import dev.keel.trainer.transfer.Freezer;
import dev.keel.trainer.track.RunDirectory;
import java.awt.AWTError;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code keel lr-find}: prepares data and model exactly as a training run of the same config
 * would, then sweeps the learning rate instead of training. The run directory holds config.yaml,
 * provenance.json and lr_find.csv, lr_find.json and lr_find.png.
 *
 * <p>It also finds the rate for a training run whose config says {@code optimizer.lr: auto}.
 */
public final class LrFindRun {
    /**
     * What a sweep left behind.
     *
     * @param runDir the run directory
     * @param result the sweep and its suggestions
     */
    public record Outcome(Path runDir, LrFinderResult result) {}

    private final RunConfig config;
    private final TrainingRun.Context context;
    private final LrFinder.Settings settings;

    /** The sweep {@code config}'s {@code lr_find} section describes; {@code context} says where to write and report. */
    public LrFindRun(RunConfig config, TrainingRun.Context context) {
        this.config = config;
        this.context = context;
        this.settings = LrFinder.Settings.of(config.lrFind());
    }

    /** Prepares data and model, sweeps, and writes the run directory. */
    public Outcome run() {
        try (PreparedRun prepared = PreparedRun.of(config, context);
                RunDirectory dir = RunDirectory.create(context.runsRoot(), config.name() + "-lr-find", context.runDir(),
                        context.commandLine())) {
            return sweepIn(dir, prepared);
        }
    }

    private Outcome sweepIn(RunDirectory dir, PreparedRun prepared) {
        PrintStream out = context.out();
        Device device = prepared.device();
        BatchSource train = prepared.train();
        dir.writeText("config.yaml", ConfigLoader.toYaml(config));
        dir.writeJson("provenance.json", prepared.provenance(context.commandLine(), config.seed()));

        Block block = prepared.block();
        try (Model model = Model.newInstance(config.name(), device);
                KeelOptimizer optimizer = KeelOptimizer.of(beforeSweep(config), model.getNDManager())) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(prepared.trainingConfig(optimizer))) {
                trainer.initialize(new Shape(1).addAll(prepared.itemShape()));
                prepareSweep(prepared, prepared.freezer(config, context.source()), config, out);
                out.printf(Locale.ROOT, "model: %s, %,d parameters · %s · lr %.3g to %.3g over %d steps of %d%n",
                        config.model().arch(), prepared.parameterCount(), config.optimizer().name(),
                        settings.start(), settings.end(), settings.steps(),
                        Math.min(config.data().batchSize(), train.itemCount()));
                out.println("run directory: " + dir.root());
                LrFinderResult result = sweepAndWrite(trainer, optimizer, train, dir);
                if (result.suggestions().any()) {
                    out.printf(Locale.ROOT, "to train with it: --set optimizer.lr=%.3g (or optimizer.lr: auto)%n",
                            result.suggestion());
                }
                return new Outcome(dir.root(), result);
            }
        }
    }

    /**
     * A fine-tuning run sweeps the way its first phase trains: with the body frozen (fastai's
     * {@code lr_find} on a frozen learner). A frozen TorchScript body sweeps in inference mode:
     * its batch-norm statistics are buffers that the restore after the sweep cannot reach.
     */
    static void prepareSweep(PreparedRun prepared, Freezer freezer, RunConfig config, PrintStream out) {
        boolean frozen = freezer != null && config.finetune().freezeEpochs() > 0;
        if (frozen) {
            freezer.apply(true);
        }
        if (prepared.transfer() != null && TorchScriptModules.find(prepared.block()).isPresent()) {
            if (frozen) {
                prepared.transfer().block().setBodyInInference(true);
            } else {
                out.println("note: the sweep trains the TorchScript body, and the batch-norm statistics it moves cannot"
                        + " be restored after it (the weights are); finetune.freeze_epochs >= 1 sweeps without them");
            }
        }
    }

    /**
     * The rate a training run with {@code optimizer.lr: auto} trains with: on a fresh run, a sweep
     * on the run's own model and data (then restored exactly), recorded in lr_find.*, in a
     * {@code "kind": "lr_find"} line of metrics.jsonl and as {@code lr} in provenance.json; on a
     * resumed run, the rate its lr_find.json recorded.
     */
    double chooseForTraining(Trainer trainer, KeelOptimizer optimizer, BatchSource train, RunDirectory dir,
            MetricsLog metrics, boolean fresh) {
        PrintStream out = context.out();
        if (!fresh) {
            double lr = LrFinderResult.readSuggestion(dir.root());
            out.printf(Locale.ROOT, "lr: auto, %.3g as lr_find.json recorded%n", lr);
            return lr;
        }
        out.printf(Locale.ROOT, "lr: auto; sweeping lr %.3g to %.3g over %d steps first%n", settings.start(),
                settings.end(), settings.steps());
        LrFinderResult result = sweepAndWrite(trainer, optimizer, train, dir);
        if (!result.suggestions().any()) {
            throw new TrainingFailedException("optimizer.lr is auto, but the learning-rate finder could not suggest "
                    + "a rate: " + result.stop().reason() + " within " + result.steps() + " steps (see "
                    + dir.root().resolve(LrFinderResult.CSV) + ")");
        }
        double lr = result.suggestion();
        ObjectNode line = RunDirectory.JSON.createObjectNode()
                .put("kind", "lr_find").put("epoch", 0).put("step", 0).put("lr", lr)
                .put("suggested_by", settings.suggestion().label())
                .put("steep", result.suggestions().steep())
                .put("minimum_div_10", result.suggestions().minimumDiv10())
                .put("sweep_steps", result.steps()).put("stop", result.stop().label())
                .put("seconds", result.seconds());
        metrics.write(line);
        recordInProvenance(dir, lr, settings.suggestion().label());
        out.printf(Locale.ROOT, "lr: %.3g (%s), the peak rate of the schedule%n", lr, settings.suggestion().label());
        return lr;
    }

    /**
     * The optimizer settings to build the optimizer with before a sweep. Under {@code lr: auto} the
     * rate is not known yet; the sweep's first rate stands in, as the finder sets every step's rate
     * and training's schedule sets every rate after it.
     */
    static OptimizerConfig beforeSweep(RunConfig config) {
        OptimizerConfig optimizer = config.optimizer();
        return optimizer.lr().auto() ? optimizer.withLr(config.lrFind().startLr()) : optimizer;
    }

    private LrFinderResult sweepAndWrite(Trainer trainer, KeelOptimizer optimizer, BatchSource train,
            RunDirectory dir) {
        PrintStream out = context.out();
        LrFinderResult result = LrFinder.sweep(trainer, optimizer, train, config.data().batchSize(), config.seed(),
                settings, out, context.terminal());
        result.describe().forEach(out::println);
        dir.writeText(LrFinderResult.CSV, result.toCsv());
        dir.writeJson(LrFinderResult.JSON, result.toJson());
        String plot = ", " + LrFinderResult.PNG;
        try {
            LrFindPlot.write(result, dir.root().resolve(LrFinderResult.PNG));
        } catch (RuntimeException | LinkageError | AWTError | InternalError e) {
            // The plot is a view of lr_find.csv; a JDK without AWT's native parts or fonts must not cost the run.
            out.println("warning: " + LrFinderResult.PNG + " not written: " + e);
            plot = "";
        }
        out.println("wrote " + dir.root().resolve(LrFinderResult.CSV) + ", " + LrFinderResult.JSON + plot);
        return result;
    }

    private static void recordInProvenance(RunDirectory dir, double lr, String suggestion) {
        Path file = dir.root().resolve("provenance.json");
        try {
            ObjectNode provenance = (ObjectNode) RunDirectory.JSON.readTree(file.toFile());
            provenance.put("lr", lr);
            provenance.put("lr_source", "lr_find " + suggestion);
            dir.writeJson("provenance.json", provenance);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + file, e);
        }
    }
}
