package dev.keel.trainer.fit;

/** How a fit ended; {@code summary.json}'s {@code status}. */
public enum FitStatus {
    /** Every epoch ran. */
    COMPLETED,
    /** A callback stopped the run early on purpose (early stopping, the learning-rate finder). */
    STOPPED,
    /** A callback gave up on the run (diverged past its guard). */
    FAILED;

    /** The lower-case name written to run files. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
