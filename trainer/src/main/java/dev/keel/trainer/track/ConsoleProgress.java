package dev.keel.trainer.track;

import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.EpochResult;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.Phase;
import dev.keel.trainer.fit.StepResult;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows training progress: on a terminal a bar redrawn in place (step, loss, samples/s, ETA);
 * elsewhere (a log file, CI) a plain line every {@code everySteps} steps of each epoch, counted
 * within the epoch as the line shows them. Either way one line per epoch with its results.
 */
public final class ConsoleProgress implements Callback {
    private static final double SMOOTHING = 0.05;

    private final PrintStream out;
    private final boolean terminal;
    private final int everySteps;
    private final ProgressBar bar;
    private double smoothLoss = Double.NaN;
    private long epochStart;
    private int epochItems;

    public ConsoleProgress(PrintStream out, boolean terminal, int everySteps) {
        this.out = out;
        this.terminal = terminal;
        this.everySteps = everySteps;
        this.bar = new ProgressBar(out);
    }

    @Override
    public Phase phase() {
        return Phase.REPORT;
    }

    @Override
    public void onEpochBegin(LoopState state) {
        epochStart = System.nanoTime();
        epochItems = 0;
    }

    @Override
    public void onStepEnd(LoopState state, StepResult step) {
        smoothLoss = Double.isNaN(smoothLoss) ? step.loss() : smoothLoss + SMOOTHING * (step.loss() - smoothLoss);
        epochItems += step.items();
        long now = System.nanoTime();
        int done = state.stepInEpoch() + 1;
        double seconds = (now - epochStart) / 1e9;
        double rate = epochItems / Math.max(seconds, 1e-9);
        double eta = (state.stepsPerEpoch() - done) * (seconds / done);
        if (terminal) {
            if (bar.due(done == state.stepsPerEpoch())) {
                bar.draw(String.format(Locale.ROOT, "epoch %d/%d", state.epoch() + 1, state.epochs()), done,
                        state.stepsPerEpoch(), String.format(Locale.ROOT, "loss %.4f  %,.0f samples/s  ETA %s",
                                smoothLoss, rate, clock(eta)));
            }
        } else if (done % everySteps == 0) {
            out.println(String.format(Locale.ROOT, "epoch %d/%d step %d/%d loss %.4f lr %.3g %,.0f samples/s ETA %s",
                    state.epoch() + 1, state.epochs(), done, state.stepsPerEpoch(), smoothLoss,
                    state.learningRate(), rate, clock(eta)));
        }
    }

    @Override
    public void onEpochEnd(LoopState state, EpochResult epoch) {
        if (terminal) {
            bar.clear();
        }
        String valid = epoch.valid() == null ? ""
                : String.format(Locale.ROOT, "  valid loss %.4f accuracy %.2f%%", epoch.valid().loss(),
                        100 * epoch.valid().accuracy());
        out.println(String.format(Locale.ROOT, "epoch %d/%d  train loss %.4f%s  %.1fs", epoch.epoch() + 1,
                state.epochs(), epoch.trainLoss(), valid, epoch.seconds()));
        out.flush();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
