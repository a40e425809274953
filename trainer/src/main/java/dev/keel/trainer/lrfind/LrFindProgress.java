package dev.keel.trainer.lrfind;

import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.FitResult;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.Phase;
import dev.keel.trainer.fit.StepResult;
import dev.keel.trainer.track.ProgressBar;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The sweep's progress: on a terminal one line redrawn in place (step, rate, smoothed loss); in a
 * log a plain line every {@link #LOG_EVERY} steps.
 */
final class LrFindProgress implements Callback {
    static final int LOG_EVERY = 25;

    private final LrFinder finder;
    private final PrintStream out;
    private final boolean terminal;
    private final ProgressBar bar;

    LrFindProgress(LrFinder finder, PrintStream out, boolean terminal) {
        this.finder = finder;
        this.out = out;
        this.terminal = terminal;
        this.bar = new ProgressBar(out);
    }

    @Override
    public Phase phase() {
        return Phase.REPORT;
    }

    @Override
    public void onStepEnd(LoopState state, StepResult step) {
        int done = finder.stepsDone();
        int total = finder.settings().steps();
        if (terminal) {
            if (bar.due(false)) {
                bar.draw("lr-find", done, total, String.format(Locale.ROOT, "lr %.2e loss %.4f",
                        finder.lastLearningRate(), finder.lastSmoothedLoss()));
            }
        } else if (done % LOG_EVERY == 0) {
            out.println(String.format(Locale.ROOT, "lr-find step %d/%d lr %.2e loss %.4f", done, total,
                    finder.lastLearningRate(), finder.lastSmoothedLoss()));
        }
    }

    @Override
    public void onTrainEnd(LoopState state, FitResult result) {
        if (terminal) {
            bar.clear();
        }
    }
}
