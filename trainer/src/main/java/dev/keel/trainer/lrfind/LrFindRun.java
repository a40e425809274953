package dev.keel.trainer.lrfind;

import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.session.RunOptions;
import dev.keel.trainer.session.RunSession;
import dev.keel.trainer.session.TrainingSetup;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.RunRecord;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code keel lr-find}: prepares data and model exactly as a training run of the same config
 * would, then sweeps the learning rate instead of training. The run directory holds config.yaml,
 * provenance.json and lr_find.csv, lr_find.json and lr_find.png.
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
    private final RunOptions options;
    private final LrFinder.Settings settings;

    /** The sweep {@code config}'s {@code lr_find} section describes; {@code options} say where to write and report. */
    public LrFindRun(RunConfig config, RunOptions options) {
        this.config = config;
        this.options = options;
        this.settings = LrFinder.Settings.of(config.lrFind());
    }

    /** Prepares data and model, sweeps, and writes the run directory. */
    public Outcome run() {
        try (TrainingSetup setup = TrainingSetup.of(config, options);
                RunDirectory dir = RunDirectory.create(options.runsRoot(), config.name() + "-lr-find", options.runDir(),
                        options.commandLine())) {
            RunRecord record = new RunRecord(dir);
            record.writeConfig(config);
            record.writeProvenance(setup.provenance(options.commandLine(), config.seed()));
            try (RunSession session = RunSession.open(config, setup, options.source(), null)) {
                return sweep(session, dir);
            }
        }
    }

    private Outcome sweep(RunSession session, RunDirectory dir) {
        PrintStream out = options.out();
        LrSweep.prepare(session, out);
        out.printf(Locale.ROOT, "model: %s, %,d parameters · %s · lr %.3g to %.3g over %d steps of %d%n",
                config.model().arch(), session.setup().parameterCount(), config.optimizer().name(),
                settings.start(), settings.end(), settings.steps(),
                Math.min(config.data().batchSize(), session.train().itemCount()));
        out.println("run directory: " + dir.root());
        LrFinderResult result = LrSweep.sweepAndWrite(session, settings, dir, options);
        if (result.suggestions().any()) {
            out.printf(Locale.ROOT, "to train with it: --set optimizer.lr=%.3g (or optimizer.lr: auto)%n",
                    result.suggestion());
        }
        return new Outcome(dir.root(), result);
    }
}
