package dev.keel.trainer.guard;

import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.EpochResult;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.Phase;
import dev.keel.trainer.fit.StepResult;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM, as people and schedulers send them, stop training gracefully: the
 * current step finishes, the loop stops as {@link FitStatus#INTERRUPTED} (the checkpoint callback
 * then saves where the run stands) and the process exits with 128 + the signal's number (130,
 * 143). A second signal stops the process at once. The handlers are installed while the loop runs
 * and the JVM's own put back on {@link #close()}.
 */
public final class GracefulStop implements Callback, AutoCloseable {
    private final PrintStream out;
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private volatile String signal;
    private volatile int exitCode;

    private GracefulStop(PrintStream out) {
        this.out = out;
    }

    /** Handles SIGINT and SIGTERM until closed. */
    public static GracefulStop install(PrintStream out) {
        GracefulStop stop = new GracefulStop(out);
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal signal = new Signal(name);
                stop.previous.put(signal, Signal.handle(signal, s -> stop.request("SIG" + s.getName(), 128 + s.getNumber())));
            } catch (IllegalArgumentException e) {
                // The JVM does not let us handle it (started with -Xrs, or the signal is ignored): keep its default.
            }
        }
        return stop;
    }

    /**
     * Asks the run to stop after the current step; a second request ends the process at once.
     *
     * @param name the signal, for messages
     * @param code the exit code the process ends with
     */
    void request(String name, int code) {
        if (signal != null) {
            out.println();
            out.println(name + " again: stopping at once, without a checkpoint of the last steps");
            out.flush();
            Runtime.getRuntime().halt(code);
        }
        exitCode = code;
        signal = name;
        out.println();
        out.println(name + ": finishing the current step, then writing a checkpoint (" + name
                + " again stops at once)");
        out.flush();
    }

    /** The exit code for the signal that arrived: 128 + its number. */
    public int exitCode() {
        return exitCode;
    }

    @Override
    public Phase phase() {
        return Phase.CONTROL;
    }

    @Override
    public void onStepEnd(LoopState state, StepResult step) {
        if (step.weightsCurrent()) { // stop where the weights are, so the checkpoint matches its position
            stopIfRequested(state);
        }
    }

    @Override
    public void onEpochEnd(LoopState state, EpochResult epoch) {
        stopIfRequested(state);
    }

    private void stopIfRequested(LoopState state) {
        if (signal != null && !state.stopRequested()) {
            state.requestStop(FitStatus.INTERRUPTED, "interrupted by " + signal);
        }
    }

    @Override
    public void close() {
        previous.forEach(Signal::handle);
        previous.clear();
    }
}
