package dev.keel.trainer.lrfind;

import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.FitResult;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.Phase;
import dev.keel.trainer.fit.StepResult;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The sweep's progress: on a terminal one line redrawn in place (step, rate, smoothed loss); in a
 * log a plain line every {@link #LOG_EVERY} steps.
 */
final class LrFindProgress implements Callback {
    static final int LOG_EVERY = 25;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 24;

    private final LrFinder finder;
    private final PrintStream out;
    private final boolean terminal;
    private long lastDraw;

    LrFindProgress(LrFinder finder, PrintStream out, boolean terminal) {
        this.finder = finder;
        this.out = out;
        this.terminal = terminal;
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
            long now = System.nanoTime();
            if (now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                int filled = (int) ((long) BAR_WIDTH * done / total);
                out.print(String.format(Locale.ROOT, "\r\033[Klr-find [%s%s] %d/%d lr %.2e loss %.4f",
                        "=".repeat(filled), " ".repeat(BAR_WIDTH - filled), done, total, finder.lastLearningRate(),
                        finder.lastSmoothedLoss()));
                out.flush();
            }
        } else if (done % LOG_EVERY == 0) {
            out.println(String.format(Locale.ROOT, "lr-find step %d/%d lr %.2e loss %.4f", done, total,
                    finder.lastLearningRate(), finder.lastSmoothedLoss()));
        }
    }

    @Override
    public void onTrainEnd(LoopState state, FitResult result) {
        if (terminal) {
            out.print("\r\033[K");
            out.flush();
        }
    }
}
