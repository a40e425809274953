package dev.keel.trainer.lrfind;

import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.model.TorchScriptModules;
import dev.keel.trainer.plot.BestEffort;
import dev.keel.trainer.session.RunOptions;
import dev.keel.trainer.session.RunSession;
import dev.keel.trainer.session.TrainingSetup;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.transfer.Freezer;
import java.io.PrintStream;

/** A sweep on a run's own session, recorded in its run directory as lr_find.csv, lr_find.json and lr_find.png. */
final class LrSweep {
    private LrSweep() {}

    /**
     * A fine-tuning run sweeps the way its first phase trains: with the body frozen (fastai's
     * {@code lr_find} on a frozen learner). A frozen TorchScript body sweeps in inference mode:
     * its batch-norm statistics are buffers that the restore after the sweep cannot reach.
     */
    static void prepare(RunSession session, PrintStream out) {
        RunConfig config = session.config();
        Freezer freezer = session.freezer();
        TrainingSetup setup = session.setup();
        boolean frozen = freezer != null && config.finetune().freezeEpochs() > 0;
        if (frozen) {
            freezer.apply(true);
        }
        if (setup.transfer() != null && TorchScriptModules.find(setup.block()).isPresent()) {
            if (frozen) {
                setup.transfer().block().setBodyInInference(true);
            } else {
                out.println("note: the sweep trains the TorchScript body, and the batch-norm statistics it moves cannot"
                        + " be restored after it (the weights are); finetune.freeze_epochs >= 1 sweeps without them");
            }
        }
    }

    /** Sweeps, prints what it found, and writes lr_find.csv, lr_find.json and lr_find.png. */
    static LrFinderResult sweepAndWrite(RunSession session, LrFinder.Settings settings, RunDirectory dir,
            RunOptions options) {
        PrintStream out = options.out();
        RunConfig config = session.config();
        LrFinderResult result = LrFinder.sweep(session.trainer(), session.optimizer(), session.train(),
                config.data().batchSize(), config.seed(), settings, out, options.terminal());
        result.describe().forEach(out::println);
        dir.writeText(LrFinderResult.CSV, result.toCsv());
        dir.writeJson(LrFinderResult.JSON, result.toJson());
        boolean drawn = BestEffort.run(out, e -> LrFinderResult.PNG + " not written: " + e,
                () -> LrFindPlot.write(result, dir.root().resolve(LrFinderResult.PNG)));
        String plot = drawn ? ", " + LrFinderResult.PNG : "";
        out.println("wrote " + dir.root().resolve(LrFinderResult.CSV) + ", " + LrFinderResult.JSON + plot);
        return result;
    }
}
