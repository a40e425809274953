package dev.keel.trainer.fit;

/** How a fit ended; {@code summary.json}'s {@code status}. */
public enum FitStatus {
    /** Every epoch ran. */
    COMPLETED,
    /** A callback stopped the run early on purpose (early stopping, the learning-rate finder). */
    STOPPED,
    /** A callback gave up on the run (diverged past its guard). */
    FAILED,
    /** A signal (Ctrl-C, SIGTERM) asked the run to stop; it checkpointed where it stood and can resume. */
    INTERRUPTED;

    /** The lower-case name written to run files. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
