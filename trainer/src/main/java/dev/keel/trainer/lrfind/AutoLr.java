package dev.keel.trainer.lrfind;

import dev.keel.trainer.config.OptimizerConfig;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.session.RunOptions;
import dev.keel.trainer.session.RunSession;
import dev.keel.trainer.session.TrainingFailedException;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.RunRecord;
import java.io.PrintStream;
import java.util.Locale;

/** {@code optimizer.lr: auto}: the learning-rate finder chooses the rate a training run trains with. */
public final class AutoLr {
    private AutoLr() {}

    /**
     * The optimizer settings training runs with. A configured rate is kept. Under {@code lr: auto},
     * a fresh run sweeps on its own model and data (then restored exactly) and records the sweep in
     * lr_find.*, in a {@code "kind": "lr_find"} line of metrics.jsonl and as {@code lr} in
     * provenance.json; a resumed run takes the rate its lr_find.json recorded.
     *
     * @throws TrainingFailedException when the sweep suggests no rate
     */
    public static OptimizerConfig choose(RunSession session, RunDirectory dir, RunOptions options, boolean fresh) {
        RunConfig config = session.config();
        if (!config.optimizer().lr().auto()) {
            return config.optimizer();
        }
        PrintStream out = options.out();
        if (!fresh) {
            double lr = LrFinderResult.readSuggestion(dir.root());
            out.printf(Locale.ROOT, "lr: auto, %.3g as lr_find.json recorded%n", lr);
            return config.optimizer().withLr(lr);
        }
        LrSweep.prepare(session, out);
        LrFinder.Settings settings = LrFinder.Settings.of(config.lrFind());
        out.printf(Locale.ROOT, "lr: auto; sweeping lr %.3g to %.3g over %d steps first%n", settings.start(),
                settings.end(), settings.steps());
        LrFinderResult result = LrSweep.sweepAndWrite(session, settings, dir, options);
        if (!result.suggestions().any()) {
            throw new TrainingFailedException("optimizer.lr is auto, but the learning-rate finder could not suggest "
                    + "a rate: " + result.stop().reason() + " within " + result.steps() + " steps (see "
                    + dir.root().resolve(LrFinderResult.CSV) + ")");
        }
        double lr = result.suggestion();
        String suggestion = settings.suggestion().label();
        session.metrics().write(RunRecord.line(new RunRecord.LrFindLine(lr, suggestion, result.suggestions().steep(),
                result.suggestions().minimumDiv10(), result.steps(), result.stop().label(), result.seconds())));
        new RunRecord(dir).recordLearningRate(lr, "lr_find " + suggestion);
        out.printf(Locale.ROOT, "lr: %.3g (%s), the peak rate of the schedule%n", lr, suggestion);
        return config.optimizer().withLr(lr);
    }
}
