package dev.keel.trainer.run;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.datasets.BatchSource;
import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.trainer.checkpoint.Checkpoint;
import dev.keel.trainer.checkpoint.CheckpointCallback;
import dev.keel.trainer.checkpoint.CheckpointStore;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.OptimizerConfig;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.data.PreparedData;
import dev.keel.trainer.engine.IsaChoice;
import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.EvalResult;
import dev.keel.trainer.fit.Evaluation;
import dev.keel.trainer.fit.Fit;
import dev.keel.trainer.fit.FitResult;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.StatefulCallback;
import dev.keel.trainer.guard.DivergenceGuard;
import dev.keel.trainer.guard.EarlyStopping;
import dev.keel.trainer.guard.GradientClipping;
import dev.keel.trainer.interpret.Interpreter;
import dev.keel.trainer.metrics.MetricsLog;
import dev.keel.trainer.optim.KeelOptimizer;
import dev.keel.trainer.report.RunReport;
import dev.keel.trainer.schedule.ScheduleCallback;
import dev.keel.trainer.schedule.SchedulePlan;
import dev.keel.trainer.track.ConsoleProgress;
import dev.keel.trainer.lrfind.LrFinderResult;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.WriteFailedException;
import dev.keel.trainer.model.TorchScriptModules;
import dev.keel.trainer.transfer.FineTuneSchedule;
import dev.keel.trainer.transfer.Freezer;
import dev.keel.trainer.transfer.ParameterGroups;
import dev.keel.trainer.transfer.TransferModel;
import java.awt.AWTError;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One training run from a validated config: resolve and split the data, build the model, fit,
 * test, and leave a complete run directory behind; or continue such a run from its newest good
 * checkpoint.
 */
public final class TrainingRun {
    /** The name of the saved model's parameter file, {@code model/<name>-NNNN.params}. */
    public static final String MODEL_NAME = "model";

    /**
     * What a run produced.
     *
     * @param runDir the run directory
     * @param fit how the loop ended; null when a resumed run had already finished
     * @param test the final evaluation on the test split, or null when the run did not complete
     * @param exitCode what the process exits with: 0, or 128 + the signal that interrupted the run
     */
    public record Outcome(Path runDir, FitResult fit, EvalResult test, int exitCode) {}

    /**
     * Where a run reports and what to record.
     *
     * @param source the config file's name, for messages
     * @param commandLine the arguments as given, recorded in provenance
     * @param runsRoot the folder new run directories go under
     * @param runDir an explicit run directory, or null
     * @param out where progress goes
     * @param terminal whether {@code out} is a terminal (a redrawn bar) or a log (plain lines)
     * @param resolver finds named datasets
     */
    public record Context(String source, List<String> commandLine, Path runsRoot, Path runDir, PrintStream out,
            boolean terminal, DatasetResolver resolver) {}

    /** How a run begins: from scratch in a new folder, over again in its own folder, or from a checkpoint. */
    private enum Start {
        NEW, OVER, CHECKPOINT
    }

    private final RunConfig config;
    private final Context context;

    public TrainingRun(RunConfig config, Context context) {
        this.config = config;
        this.context = context;
    }

    /**
     * Continues the run in {@code runDir} from its newest checkpoint whose checksums hold, and
     * finishes it as its config.yaml says. A run that stopped before its first checkpoint (during
     * the learning-rate sweep of {@code lr: auto}) starts over in the same folder: every random
     * draw follows from the seed, so it is the same run. A run that already finished is left as
     * it is.
     *
     * @throws ConfigException when the folder holds no run, or another process holds it
     */
    public static Outcome resume(Path runDir, Context context) {
        Path configFile = runDir.resolve("config.yaml");
        if (!Files.isRegularFile(configFile)) {
            throw new ConfigException(runDir + ": not a Keel run directory (no config.yaml)");
        }
        long start = System.nanoTime();
        RunConfig config = ConfigLoader.load(configFile, List.of());
        PrintStream out = context.out();
        try (RunDirectory dir = RunDirectory.open(runDir, context.commandLine())) {
            String finished = finishedStatus(dir);
            if (finished != null) {
                out.println(runDir + ": the run has already " + finished + " (summary.json); nothing to resume. "
                        + "Its model is in " + dir.root().resolve("model") + "; to train again, start a new run.");
                return new Outcome(runDir, null, null, 0);
            }
            TrainingRun run = new TrainingRun(config, context);
            Checkpoint latest = run.store(dir).latest().orElse(null);
            Path module = latest == null ? null : latest.dir().resolve(TorchScriptModules.FILE);
            try (PreparedRun prepared = PreparedRun.of(config, context,
                    module != null && Files.isRegularFile(module) ? module : null)) {
                if (latest == null) {
                    out.println("no checkpoint to resume from: the run stopped before its first one; starting it over"
                            + " (every random draw follows from seed " + config.seed() + ", so it is the same run)");
                    return run.execute(dir, prepared, Start.OVER, null, start);
                }
                return run.execute(dir, prepared, Start.CHECKPOINT, latest, start);
            }
        }
    }

    /**
     * Runs the training to the end; the run directory records it whether it completes, fails or is
     * interrupted. It is created once the data has been found, so a run that cannot start leaves no
     * folder behind.
     */
    public Outcome run() {
        long start = System.nanoTime();
        try (PreparedRun prepared = PreparedRun.of(config, context);
                RunDirectory dir = RunDirectory.create(context.runsRoot(), config.name(), context.runDir(),
                        context.commandLine())) {
            return execute(dir, prepared, Start.NEW, null, start);
        }
    }

    private CheckpointStore store(RunDirectory dir) {
        return new CheckpointStore(dir.root().resolve("checkpoints"),
                warning -> context.out().println("warning: " + warning));
    }

    /** summary.json's status when the run completed or stopped early on purpose; null when it can go on. */
    private static String finishedStatus(RunDirectory dir) {
        Path file = dir.root().resolve("summary.json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            String status = RunDirectory.JSON.readTree(file.toFile()).path("status").asText();
            return status.equals(FitStatus.COMPLETED.label()) || status.equals(FitStatus.STOPPED.label())
                    ? status : null;
        } catch (IOException e) {
            return null; // a summary cut short: the run did not finish cleanly
        }
    }

    private Outcome execute(RunDirectory dir, PreparedRun prepared, Start how, Checkpoint resumeFrom, long start) {
        CheckpointStore store = store(dir);
        try {
            return train(dir, prepared, store, how, resumeFrom, start);
        } catch (WriteFailedException e) {
            throw writeFailure(dir, store, e, start);
        }
    }

    /**
     * A file of the run could not be written (most often: the disk is full). Temporary files are
     * gone already; a half-written model goes too. The message says what could not be written, the
     * last good checkpoint, and the command that continues once the cause is fixed.
     */
    private TrainingFailedException writeFailure(RunDirectory dir, CheckpointStore store, WriteFailedException e,
            long start) {
        RunDirectory.deleteQuietly(dir.root().resolve("model"));
        String cure = e.diskFull() ? "once space is freed" : "once the file can be written";
        if (!Files.isRegularFile(dir.root().resolve("config.yaml"))) {
            dir.clear(true);
            return new TrainingFailedException(e.getMessage() + "\nnothing of the run was kept; " + cure
                    + ", run the same command again", e);
        }
        try {
            writeSummary(dir, FitStatus.FAILED, null, null, start, e.getMessage());
        } catch (WriteFailedException again) {
            // The disk is still full; resume does not need the summary.
        }
        String resume = "./keel resume " + dir.root();
        String next = store.latest()
                .map(c -> "the last good checkpoint is " + c.dir().getFileName() + " (" + c.globalStep()
                        + " steps done); " + cure + ", continue with: " + resume)
                .orElse("no checkpoint was written yet; " + cure + ", start it over with: " + resume);
        return new TrainingFailedException(e.getMessage() + "\n" + next, e);
    }

    private Outcome train(RunDirectory dir, PreparedRun prepared, CheckpointStore store, Start how,
            Checkpoint resumeFrom, long start) {
        PrintStream out = context.out();
        Device device = prepared.device();
        PreparedData data = prepared.data();
        BatchSource train = prepared.train();
        boolean fresh = how != Start.CHECKPOINT;
        if (how == Start.OVER) {
            startOver(dir, prepared.isa());
        }
        if (how == Start.NEW || !Files.isRegularFile(dir.root().resolve("provenance.json"))) {
            dir.writeText("config.yaml", ConfigLoader.toYaml(config));
            dir.writeJson("provenance.json", prepared.provenance(context.commandLine(), config.seed()));
            if (data.report() != null) {
                dir.writeJson("data_report.json", data.report().toJson());
            }
        }
        if (how == Start.CHECKPOINT) {
            recordResume(dir, resumeFrom.globalStep(), resumeFrom.dir().getFileName().toString(), prepared.isa());
            MetricsLog.truncateAfter(dir.metricsFile(), resumeFrom.globalStep());
            out.println("resuming from " + resumeFrom.dir().getFileName() + " (" + resumeFrom.globalStep()
                    + " steps done)");
        }

        Shape itemShape = prepared.itemShape();
        Block block = prepared.block();
        try (Model model = Model.newInstance(config.name(), device);
                KeelOptimizer optimizer = KeelOptimizer.of(LrFindRun.beforeSweep(config),
                        model.getNDManager())) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(prepared.trainingConfig(optimizer));
                    MetricsLog metrics = new MetricsLog(dir.metricsFile(), config.train().logEverySteps())) {
                trainer.initialize(new Shape(1).addAll(itemShape));
                Freezer freezer = prepared.freezer(config, context.source());
                if (config.optimizer().lr().auto() && fresh) {
                    LrFindRun.prepareSweep(prepared, freezer, config, out);
                }
                OptimizerConfig optimizerConfig = config.optimizer().lr().auto()
                        ? config.optimizer().withLr(new LrFindRun(config, context)
                                .chooseForTraining(trainer, optimizer, train, dir, metrics, fresh))
                        : config.optimizer();
                int stepsPerEpoch = Fit.stepsPerEpoch(train.itemCount(), config.data().batchSize());
                out.printf(Locale.ROOT, "model: %s, %,d parameters · %s lr %s · %s · %s x %d steps of %d%n",
                        prepared.transfer() == null ? config.model().arch() : "transfer",
                        prepared.parameterCount(), config.optimizer().name(), optimizerConfig.lr(),
                        freezer == null ? config.schedule().name() : "fine-tune (one-cycle per phase)",
                        plural(config.totalEpochs(), "epoch"), stepsPerEpoch,
                        Math.min(config.data().batchSize(), train.itemCount()));
                if (freezer != null) {
                    out.println("fine-tune: " + plural(config.finetune().freezeEpochs(), "epoch")
                            + " with all but the head frozen, then " + plural(config.train().epochs(), "epoch")
                            + " of everything; groups " + groupSummary(freezer));
                }
                out.println("run directory: " + dir.root());

                List<StatefulCallback> stateful = new ArrayList<>();
                List<Callback> callbacks = callbacks(optimizerConfig, stepsPerEpoch, optimizer, metrics, store, block,
                        model, stateful, fresh, freezer);
                FitResult result;
                int exitCode;
                try (GracefulStop stop = GracefulStop.install(out)) {
                    callbacks.add(stop);
                    Fit fit = new Fit(trainer, optimizer, train, prepared.valid(), new Fit.Settings(
                            config.totalEpochs(), config.data().batchSize(), config.data().evalBatchSize(),
                            config.seed(), config.train().syncEverySteps()), callbacks);
                    LoopState.Position position = LoopState.Position.START;
                    if (resumeFrom != null) {
                        store.restore(resumeFrom, block, optimizer, model.getNDManager());
                        position = CheckpointCallback.restoreLoop(resumeFrom, fit.state(), stateful);
                    }
                    try {
                        result = fit.run(position);
                    } catch (WriteFailedException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        writeSummary(dir, FitStatus.FAILED, null, null, start, e.toString());
                        throw e;
                    }
                    exitCode = stop.exitCode();
                }
                if (result.status() == FitStatus.FAILED) {
                    writeSummary(dir, FitStatus.FAILED, result, null, start, result.reason());
                    out.println("training failed: " + result.reason());
                    writeReport(dir);
                    throw new TrainingFailedException(result.reason() + " (run directory " + dir.root() + ")");
                }
                if (result.status() == FitStatus.INTERRUPTED) {
                    writeSummary(dir, FitStatus.INTERRUPTED, result, null, start, result.reason());
                    writeReport(dir);
                    out.printf(Locale.ROOT, "%s after %,d of %,d steps; checkpoint %s written. Continue with: "
                            + "./keel resume %s%n", result.reason(), result.steps(),
                            (long) stepsPerEpoch * config.totalEpochs(),
                            store.latest().map(c -> c.dir().getFileName().toString()).orElse("(none)"), dir.root());
                    return new Outcome(dir.root(), result, null, exitCode);
                }
                if (result.status() == FitStatus.STOPPED) {
                    out.println("stopped: " + result.reason());
                }
                EvalResult testResult = Evaluation.evaluate(trainer, prepared.test(), config.data().evalBatchSize());
                ObjectNode testLine = RunDirectory.JSON.createObjectNode()
                        .put("kind", "test").put("epoch", result.epochs()).put("step", result.steps())
                        .put("lr", optimizer.learningRate())
                        .put("test_loss", testResult.loss()).put("test_accuracy", testResult.accuracy());
                metrics.write(testLine);
                out.printf(Locale.ROOT, "test: accuracy %.2f%% loss %.4f on %,d %s%n",
                        100 * testResult.accuracy(), testResult.loss(), testResult.items(),
                        data.itemShape().dimension() == 1 ? "rows" : "images");
                saveModel(model, dir, itemShape, data, prepared.transfer());
                writeSummary(dir, result.status(), result, testResult, start, result.reason());
                interpret(block, trainer, prepared, dir.root());
                writeReport(dir);
                out.printf(Locale.ROOT, "done in %.1fs (training %.1fs): %s%n", (System.nanoTime() - start) / 1e9,
                        result.seconds(), dir.root());
                return new Outcome(dir.root(), result, testResult, 0);
            }
        }
    }

    /**
     * The interpretation of the trained model on the test split. The run is complete already: a
     * failure here is reported, not fatal ({@code keel evaluate} can redo it), also a JDK that
     * cannot draw its charts (no libfreetype, no fonts).
     */
    private void interpret(Block block, Trainer trainer, PreparedRun prepared, Path runDir) {
        try {
            Interpreter.run(block, trainer.getManager(), prepared.test(), prepared.data().testNames(),
                    prepared.data().transform(), config.interpret(), config.data().evalBatchSize(), runDir,
                    "test", context.out());
        } catch (RuntimeException | LinkageError | AWTError | InternalError e) {
            context.out().println("warning: the interpretation could not be written (" + e.getMessage()
                    + "); the run is complete");
        }
    }

    /**
     * Draws the charts and writes report.html. They are views of files already written, so a
     * failure to draw (a JDK without fonts, a full disk) costs the run nothing but a warning.
     */
    private void writeReport(RunDirectory dir) {
        try {
            context.out().println("report: " + RunReport.write(dir.root()));
        } catch (RuntimeException | LinkageError | AWTError | InternalError e) {
            context.out().println("warning: " + RunReport.FILE + " not written: " + e);
        }
    }

    /** The loop's callbacks as the config asks for them; {@code stateful} receives those whose state checkpoints keep. */
    private List<Callback> callbacks(OptimizerConfig optimizerConfig, int stepsPerEpoch, KeelOptimizer optimizer,
            MetricsLog metrics, CheckpointStore store, Block block, Model model, List<StatefulCallback> stateful,
            boolean fresh, Freezer freezer) {
        List<Callback> callbacks = new ArrayList<>();
        callbacks.add(freezer == null
                ? new ScheduleCallback(SchedulePlan.of(config.schedule(), optimizerConfig, stepsPerEpoch), optimizer)
                : new FineTuneSchedule(config.finetune(), config.schedule(), optimizerConfig.lr().value(), freezer,
                        optimizer, stepsPerEpoch));
        callbacks.add(metrics);
        stateful.add(metrics);
        if (config.guard().clipGradNorm() > 0) {
            callbacks.add(new GradientClipping(config.guard().clipGradNorm(), metrics));
        }
        stateful.add(new DivergenceGuard(config.guard().lossFactor(), config.guard().lrCut(),
                config.guard().maxRollbacks(), store::latest,
                checkpoint -> {
                    store.restore(checkpoint, block, optimizer, model.getNDManager());
                    return CheckpointCallback.position(checkpoint);
                }, metrics, config.train().syncEverySteps() == 1));
        if (config.earlyStopping().patience() > 0) {
            stateful.add(new EarlyStopping(config.earlyStopping().monitor(), config.earlyStopping().patience(),
                    config.earlyStopping().minDelta(), metrics));
        }
        callbacks.addAll(stateful.subList(1, stateful.size()));
        callbacks.add(new CheckpointCallback(store, block, optimizer, model.getNDManager(),
                new CheckpointCallback.Settings(config.checkpoint().everySteps(), config.checkpoint().keepLast(),
                        config.checkpoint().keepBest(), config.checkpoint().monitor()),
                stateful, fresh));
        callbacks.add(new ConsoleProgress(context.out(), context.terminal(), config.train().logEverySteps()));
        return callbacks;
    }

    /**
     * Clears what a run that stopped before its first checkpoint left (a partial metrics.jsonl,
     * lr_find.*, a summary and its report), keeping config.yaml and provenance.json, and records
     * the restart.
     */
    private static void startOver(RunDirectory dir, IsaChoice isa) {
        for (String name : List.of("metrics.jsonl", "summary.json", LrFinderResult.CSV, LrFinderResult.JSON,
                LrFinderResult.PNG, "model", "checkpoints", RunReport.FILE, "plots")) {
            try {
                RunDirectory.deleteRecursively(dir.root().resolve(name));
            } catch (IOException e) {
                throw WriteFailedException.of(dir.root().resolve(name), e);
            }
        }
        if (Files.isRegularFile(dir.root().resolve("provenance.json"))) {
            recordResume(dir, 0, null, isa);
        }
    }

    /** {@code body (6 arrays, 1,234 values) · head (2 arrays, 165 values)}. */
    private static String groupSummary(Freezer freezer) {
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

    /**
     * Adds a resume to provenance.json, with the oneDNN cap this process runs under: a resume can run
     * on another machine or with another environment than the run's start.
     */
    private static void recordResume(RunDirectory dir, long fromStep, String checkpoint, IsaChoice isa) {
        try {
            Path file = dir.root().resolve("provenance.json");
            ObjectNode provenance = Files.isRegularFile(file)
                    ? (ObjectNode) RunDirectory.JSON.readTree(file.toFile()) : RunDirectory.JSON.createObjectNode();
            JsonNode resumes = provenance.get("resumes");
            ArrayNode list = resumes instanceof ArrayNode a ? a : provenance.putArray("resumes");
            ObjectNode resume = list.addObject().put("time", Instant.now().toString()).put("from_step", fromStep)
                    .put("checkpoint", checkpoint);
            isa.putInto(resume);
            dir.writeJson("provenance.json", provenance);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read provenance.json", e);
        }
    }




    private void saveModel(Model model, RunDirectory dir, Shape itemShape, PreparedData data, TransferModel transfer) {
        List<String> classes = data.classes();
        Path modelDir = dir.modelDir();
        model.setProperty("Epoch", String.valueOf(config.totalEpochs()));
        try {
            model.save(modelDir, MODEL_NAME);
            Files.write(modelDir.resolve("synset.txt"), classes);
        } catch (IOException e) {
            throw WriteFailedException.of(modelDir, e);
        }
        ObjectNode description = RunDirectory.JSON.createObjectNode();
        description.put("name", MODEL_NAME);
        if (transfer == null) {
            description.set("model", RunDirectory.JSON.valueToTree(config.model()));
        } else if (transfer.architecture() != null) {
            description.set("model", RunDirectory.JSON.valueToTree(transfer.architecture()));
        } else {
            description.putObject("model").put("arch", "torchscript").put("pretrained", config.model().pretrained());
        }
        if (transfer != null) {
            ObjectNode transferred = description.putObject("transfer").put("pretrained", config.model().pretrained())
                    .put("network", transfer.description());
            transferred.putPOJO("body_output", transfer.bodyOutput().getShape());
        }
        description.putPOJO("input_shape", itemShape.getShape());
        description.setAll(data.transform());
        description.putPOJO("classes", classes);
        dir.writeJson("model/keel-model.json", description);
    }

    private static void writeSummary(RunDirectory dir, FitStatus status, FitResult fit, EvalResult test, long start,
            String reason) {
        ObjectNode summary = RunDirectory.JSON.createObjectNode();
        summary.put("status", status.label());
        summary.put("epochs", fit == null ? 0 : fit.epochs());
        summary.put("steps", fit == null ? 0 : fit.steps());
        summary.put("wall_seconds", (System.nanoTime() - start) / 1e9);
        if (fit != null) {
            summary.put("train_seconds", fit.seconds());
            if (fit.lastValid() != null) {
                summary.putObject("valid").put("accuracy", fit.lastValid().accuracy()).put("loss", fit.lastValid().loss());
            }
        }
        if (test != null) {
            summary.putObject("test").put("accuracy", test.accuracy()).put("loss", test.loss());
        }
        if (reason != null) {
            summary.put("reason", reason);
        }
        dir.writeJson("summary.json", summary);
    }
}
