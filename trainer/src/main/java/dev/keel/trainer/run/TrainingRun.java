package dev.keel.trainer.run;

import dev.keel.trainer.checkpoint.Checkpoint;
import dev.keel.trainer.checkpoint.CheckpointCallback;
import dev.keel.trainer.checkpoint.CheckpointStore;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.OptimizerConfig;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.fit.Fit;
import dev.keel.trainer.fit.FitResult;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.guard.GracefulStop;
import dev.keel.trainer.lrfind.AutoLr;
import dev.keel.trainer.metrics.MetricsLog;
import dev.keel.trainer.metrics.TrainingClock;
import dev.keel.trainer.model.TorchScriptModules;
import dev.keel.trainer.plan.CallbackPlan;
import dev.keel.trainer.precision.LossScaler;
import dev.keel.trainer.precision.PrecisionChoice;
import dev.keel.trainer.session.RunOptions;
import dev.keel.trainer.session.RunSession;
import dev.keel.trainer.session.TrainingSetup;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.RunRecord;
import dev.keel.trainer.track.WriteFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One training run from a validated config: resolve and split the data, build the model, fit,
 * test, and leave a complete run directory behind; or continue such a run from its newest good
 * checkpoint.
 */
public final class TrainingRun {
    private final RunConfig config;
    private final RunOptions options;

    public TrainingRun(RunConfig config, RunOptions options) {
        this.config = config;
        this.options = options;
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
    public static RunOutcome resume(Path runDir, RunOptions options) {
        if (!Files.isRegularFile(runDir.resolve(RunRecord.CONFIG))) {
            throw new ConfigException(runDir + ": not a Keel run directory (no config.yaml)");
        }
        long start = System.nanoTime();
        RunConfig config = ConfigLoader.load(runDir.resolve(RunRecord.CONFIG), List.of());
        try (RunDirectory dir = RunDirectory.open(runDir, options.commandLine())) {
            Optional<FitStatus> finished = finishedStatus(runDir);
            if (finished.isPresent()) {
                options.out().println(runDir + ": the run has already " + finished.get().label() + " (summary.json); "
                        + "nothing to resume. Its model is in " + dir.root().resolve("model") + "; to train again, start a new run.");
                return new RunOutcome(runDir, finished.get(), null, null, 0);
            }
            Checkpoint latest = RunEnd.store(dir, options.out()).latest().orElse(null);
            Path module = latest == null ? null : latest.dir().resolve(TorchScriptModules.FILE);
            try (TrainingSetup setup = TrainingSetup.of(config, options,
                    module != null && Files.isRegularFile(module) ? module : null)) {
                if (latest == null) {
                    options.out().println("no checkpoint to resume from: the run stopped before its first one; starting"
                            + " it over (every random draw follows from seed " + config.seed() + ", so it is the same run)");
                }
                return new TrainingRun(config, options).execute(dir, setup, latest, false, start);
            }
        }
    }

    /**
     * Runs the training to the end; the run directory records it whether it completes, fails or is
     * interrupted. It is created once the data has been found, so a run that cannot start leaves no
     * folder behind.
     */
    public RunOutcome run() {
        long start = System.nanoTime();
        try (TrainingSetup setup = TrainingSetup.of(config, options);
                RunDirectory dir = RunDirectory.create(options.runsRoot(), config.name(), options.runDir(),
                        options.commandLine())) {
            return execute(dir, setup, null, true, start);
        }
    }

    /** summary.json's status when the run completed or stopped early on purpose: there is nothing to resume. */
    private static Optional<FitStatus> finishedStatus(Path runDir) {
        return RunRecord.readSummary(runDir).map(RunRecord.Summary::status)
                .flatMap(status -> List.of(FitStatus.COMPLETED, FitStatus.STOPPED).stream()
                        .filter(s -> s.label().equals(status)).findFirst());
    }

    /**
     * @param resumeFrom the checkpoint to continue from, or null to start from the first step
     * @param isNew whether the run directory was just created (else the run is resumed or started over)
     */
    private RunOutcome execute(RunDirectory dir, TrainingSetup setup, Checkpoint resumeFrom, boolean isNew,
            long start) {
        CheckpointStore store = RunEnd.store(dir, options.out());
        try {
            begin(dir, setup, resumeFrom, isNew);
            try (RunSession session = RunSession.open(config, setup, options.source(), dir.metricsFile())) {
                return train(dir, session, store, resumeFrom, start);
            }
        } catch (WriteFailedException e) {
            throw WriteFailure.of(e, dir, store, start);
        }
    }

    /** Records the start (config, provenance, data report) or the resume, before the session opens. */
    private void begin(RunDirectory dir, TrainingSetup setup, Checkpoint resumeFrom, boolean isNew) {
        RunRecord record = new RunRecord(dir);
        if (!isNew && resumeFrom == null) {
            StartOver.clear(dir, setup.isa());
        }
        if (isNew || !record.hasProvenance()) {
            record.writeConfig(config);
            record.writeProvenance(setup.provenance(options.commandLine(), config.seed()));
            if (setup.data().report() != null) {
                dir.writeJson("data_report.json", setup.data().report().toJson());
            }
        }
        if (resumeFrom != null) {
            record.addResume(resumeFrom.globalStep(), resumeFrom.dir().getFileName().toString(), setup.isa());
            MetricsLog.truncateAfter(dir.metricsFile(), resumeFrom.globalStep());
            options.out().println("resuming from " + resumeFrom.dir().getFileName() + " (" + resumeFrom.globalStep()
                    + " steps done)");
        }
    }

    private RunOutcome train(RunDirectory dir, RunSession session, CheckpointStore store, Checkpoint resumeFrom,
            long start) {
        OptimizerConfig optimizer = AutoLr.choose(session, dir, options, resumeFrom == null);
        int stepsPerEpoch = Fit.stepsPerEpoch(session.train().itemCount(), config.data().batchSize());
        session.describe(options.out(), optimizer, stepsPerEpoch);
        options.out().println("run directory: " + dir.root());
        CallbackPlan.Live live = new CallbackPlan.Live(session, store, optimizer, stepsPerEpoch, resumeFrom == null,
                options.out(), options.terminal(), options.pauseAfterEpoch());
        RunEnd end;
        FitResult result;
        int exitCode;
        try (CallbackPlan plan = CallbackPlan.of(config, live)) {
            end = new RunEnd(config, options, dir, session, store, plan.find(TrainingClock.class).orElseThrow(), start);
            result = fit(session, store, plan, resumeFrom, end);
            exitCode = plan.find(GracefulStop.class).map(GracefulStop::exitCode).orElse(0);
        }
        return end.finish(result, exitCode, stepsPerEpoch);
    }

    /** The loop, from the first step or from {@code resumeFrom}; a failure inside it is recorded in summary.json. */
    private FitResult fit(RunSession session, CheckpointStore store, CallbackPlan plan, Checkpoint resumeFrom,
            RunEnd end) {
        Fit fit = new Fit(session.trainer(), session.optimizer(), session.train(), session.setup().valid(),
                new Fit.Settings(config.totalEpochs(), config.data().batchSize(), config.data().evalBatchSize(),
                        config.seed(), config.train().syncEverySteps()), plan.callbacks(),
                PrecisionChoice.step(plan.find(LossScaler.class), session.block().getParameters()));
        LoopState.Position position = LoopState.Position.START;
        if (resumeFrom != null) {
            store.restore(resumeFrom, session.block(), session.optimizer(), session.manager());
            position = CheckpointCallback.restoreLoop(resumeFrom, fit.state(), plan.stateful());
        }
        try {
            return fit.run(position);
        } catch (WriteFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            end.summary(FitStatus.FAILED, null, null, e.toString());
            throw e;
        }
    }
}
