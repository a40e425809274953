package dev.keel.trainer.track;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/** Why a file operation failed, in words for a one-line message: not the exception's class and path again. */
public final class IoErrors {
    private IoErrors() {}

    /** {@code permission denied}, the file system's own reason, or the exception's message. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
