package dev.keel.trainer.session;

/** Training gave up for a reason the run directory records (it diverged past its guard); exit code 3. */
public final class TrainingFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingFailedException(String message) {
        super(message);
    }

    public TrainingFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
