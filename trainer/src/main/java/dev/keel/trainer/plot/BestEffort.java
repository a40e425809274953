package dev.keel.trainer.plot;

import java.awt.AWTError;
import java.io.PrintStream;
import java.util.function.Function;

/**
 * Runs the parts of a run that may fail without failing it: views of files already written (charts,
 * report.html, the interpretation). A JDK that cannot draw (no libfreetype, no fonts: a
 * {@link LinkageError}, {@link AWTError} or {@link InternalError}) or a full disk costs the run a
 * warning, not its result.
 */
public final class BestEffort {
    private BestEffort() {}

    /**
     * Runs {@code action}; when it fails, prints {@code warning: } and what {@code warning} makes of the failure.
     *
     * @return whether {@code action} completed
     */
    public static boolean run(PrintStream out, Function<Throwable, String> warning, Runnable action) {
        try {
            action.run();
            return true;
        } catch (RuntimeException | LinkageError | AWTError | InternalError e) {
            out.println("warning: " + warning.apply(e));
            return false;
        }
    }
}
