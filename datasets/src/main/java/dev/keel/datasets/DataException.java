package dev.keel.datasets;

/**
 * Data that cannot be used: a file that is missing, truncated, or not in the format it claims.
 * The message always names the file and says what was expected, so a command line can print it
 * as it is.
 */
public final class DataException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
