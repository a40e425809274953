package dev.keel.trainer.run;

import ai.djl.Model;
import dev.keel.trainer.checkpoint.CheckpointStore;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.fit.EvalResult;
import dev.keel.trainer.fit.Evaluation;
import dev.keel.trainer.fit.FitResult;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.interpret.Interpreter;
import dev.keel.trainer.metrics.TrainingClock;
import dev.keel.trainer.plot.BestEffort;
import dev.keel.trainer.report.RunReport;
import dev.keel.trainer.session.RunOptions;
import dev.keel.trainer.session.RunSession;
import dev.keel.trainer.session.TrainingFailedException;
import dev.keel.trainer.session.TrainingSetup;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.RunRecord;
import dev.keel.trainer.track.WriteFailedException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The end of a run, whichever way the loop ended: a failed or interrupted run records it and draws
 * its report; a completed or stopped one is tested, its model saved, summarised, interpreted and
 * reported. The interpretation and the report are views of what is saved: they may fail without
 * failing the run ({@link BestEffort}).
 */
final class RunEnd {
    /** The name of the saved model's parameter file, {@code model/<name>-NNNN.params}. */
    static final String MODEL_NAME = "model";

    private final RunConfig config;
    private final RunOptions options;
    private final RunDirectory dir;
    private final RunSession session;
    private final CheckpointStore store;
    private final TrainingClock clock;
    private final long start;

    /**
     * @param clock the run's training time over all its processes
     * @param start {@link System#nanoTime()} when the command began
     */
    RunEnd(RunConfig config, RunOptions options, RunDirectory dir, RunSession session, CheckpointStore store,
            TrainingClock clock, long start) {
        this.config = config;
        this.options = options;
        this.dir = dir;
        this.session = session;
        this.store = store;
        this.clock = clock;
        this.start = start;
    }

    /** The run's checkpoints, warning on {@code out} about any that cannot be used. */
    static CheckpointStore store(RunDirectory dir, PrintStream out) {
        return new CheckpointStore(dir.root().resolve("checkpoints"), warning -> out.println("warning: " + warning));
    }

    /**
     * Records how the loop ended and finishes the run accordingly.
     *
     * @param exitCode 0, or 128 + the signal that interrupted the loop
     * @throws TrainingFailedException when the loop failed (the run directory records why)
     */
    RunOutcome finish(FitResult result, int exitCode, int stepsPerEpoch) {
        switch (result.status()) {
            case FAILED -> {
                summary(FitStatus.FAILED, result, null, result.reason());
                options.out().println("training failed: " + result.reason());
                report();
                // Resuming would diverge again: say what changes the outcome instead.
                throw new TrainingFailedException(result.reason() + " (run directory " + dir.root() + ")\nwhat can"
                        + " help: a lower optimizer.lr (or lr: auto), guard.clip_grad_norm to bound the steps, more"
                        + " guard.max_rollbacks or a smaller guard.lr_cut; " + dir.root().resolve(RunReport.FILE)
                        + " shows the loss up to the divergence");
            }
            case INTERRUPTED -> {
                summary(FitStatus.INTERRUPTED, result, null, result.reason());
                report();
                options.out().printf(Locale.ROOT, "%s after %,d of %,d steps; checkpoint %s written. Continue with: "
                        + "./keel resume %s%n", result.reason(), result.steps(),
                        (long) stepsPerEpoch * config.totalEpochs(),
                        store.latest().map(c -> c.dir().getFileName().toString()).orElse("(none)"), dir.root());
                return new RunOutcome(dir.root(), result.status(), result, null, exitCode);
            }
            default -> {
                return complete(result);
            }
        }
    }

    /** A run that completed or stopped early on purpose: test, save, summarise, interpret, report. */
    private RunOutcome complete(FitResult result) {
        PrintStream out = options.out();
        if (result.status() == FitStatus.STOPPED) {
            out.println("stopped: " + result.reason());
        }
        TrainingSetup setup = session.setup();
        EvalResult test = Evaluation.evaluate(session.trainer(), setup.test(), config.data().evalBatchSize());
        session.metrics().write(RunRecord.line(new RunRecord.TestLine(result.epochs(), result.steps(),
                session.optimizer().learningRate(), test.loss(), test.accuracy())));
        out.printf(Locale.ROOT, "test: accuracy %.2f%% loss %.4f on %,d %s%n", 100 * test.accuracy(), test.loss(),
                test.items(), setup.itemShape().dimension() == 1 ? "rows" : "images");
        saveModel();
        summary(result.status(), result, test, result.reason());
        BestEffort.run(out, e -> "the interpretation could not be written (" + e.getMessage() + "); the run is complete",
                () -> Interpreter.run(session.block(), session.trainer().getManager(), setup.test(),
                        setup.data().testNames(), setup.data().transform(), config.interpret(),
                        config.data().evalBatchSize(), dir.root(), "test", out));
        report();
        out.printf(Locale.ROOT, "done in %.1fs (training %.1fs): %s%n", (System.nanoTime() - start) / 1e9,
                result.seconds(), dir.root());
        return new RunOutcome(dir.root(), result.status(), result, test, 0);
    }

    /** The trained model in DJL's format, its classes in synset.txt, and keel-model.json. */
    private void saveModel() {
        Path modelDir = dir.modelDir();
        Model model = session.model();
        model.setProperty("Epoch", String.valueOf(config.totalEpochs()));
        try {
            model.save(modelDir, MODEL_NAME);
            Files.write(modelDir.resolve("synset.txt"), session.setup().data().classes());
        } catch (IOException e) {
            throw WriteFailedException.of(modelDir, e);
        }
        new RunRecord(dir).writeModelDescription(session.setup().modelDescription(config, MODEL_NAME));
        dev.keel.trainer.track.ModelManifest.write(modelDir);
    }

    /**
     * Writes summary.json, its training time summed over every process that trained the run, and
     * records this process's share in provenance.json when it resumed the run.
     */
    void summary(FitStatus status, FitResult fit, EvalResult test, String reason) {
        writeSummary(dir, status, fit, test, reason, fit == null ? null : clock.seconds(), start);
        if (fit != null) {
            new RunRecord(dir).recordResumeTrainingTime(fit.seconds());
        }
    }

    /**
     * Writes summary.json; {@code fit} and {@code test} are null where the loop or the test did not run.
     *
     * @param trainSeconds the run's training time, or null when the loop did not run
     */
    static void writeSummary(RunDirectory dir, FitStatus status, FitResult fit, EvalResult test, String reason,
            Double trainSeconds, long start) {
        RunRecord.Scores valid = fit == null || fit.lastValid() == null ? null
                : new RunRecord.Scores(fit.lastValid().accuracy(), fit.lastValid().loss());
        new RunRecord(dir).writeSummary(new RunRecord.Summary(status.label(), fit == null ? 0 : fit.epochs(),
                fit == null ? 0 : fit.steps(), (System.nanoTime() - start) / 1e9, trainSeconds, valid,
                test == null ? null : new RunRecord.Scores(test.accuracy(), test.loss()), reason));
    }

    /**
     * Draws the charts and writes report.html. They are views of files already written, so a
     * failure to draw (a JDK without fonts, a full disk) costs the run nothing but a warning.
     */
    private void report() {
        BestEffort.run(options.out(), e -> RunReport.FILE + " not written: " + e,
                () -> options.out().println("report: " + RunReport.write(dir.root())));
    }
}
