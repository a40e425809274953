package dev.keel.trainer.track;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file of a run could not be written: the disk is full, or the file system refused. The message
 * names the file and the reason in one line; {@link #diskFull()} says whether freeing space is the
 * cure.
 */
public final class WriteFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path path;
    private final boolean diskFull;

    private WriteFailedException(Path path, boolean diskFull, String message, IOException cause) {
        super(message, cause);
        this.path = path;
        this.diskFull = diskFull;
    }

    /** The failure to write {@code path}, with the reason the operating system gave. */
    public static WriteFailedException of(Path path, IOException cause) {
        boolean full = isDiskFull(cause);
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) {
            reason = fs.getReason();
        }
        return new WriteFailedException(path, full,
                "cannot write " + path + ": " + (full ? "the disk is full (" + reason + ")" : reason), cause);
    }

    /** The file or folder that could not be written. */
    public Path path() {
        return path;
    }

    /** Whether the file system ran out of space (or quota). */
    public boolean diskFull() {
        return diskFull;
    }

    private static boolean isDiskFull(IOException cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && (message.contains("No space left on device") || message.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
