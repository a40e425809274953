package dev.keel.trainer.cli;

import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.track.IoErrors;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.WriteFailedException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file written through a hidden temporary file in the same folder and renamed over the target
 * only once it is complete. Until then the target keeps what it held, so an output that names a
 * file still being read, a failed command or a full disk never leaves it half-written; closing
 * without {@link #commit()} deletes the temporary file.
 */
final class OutputFile implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final Writer writer;
    private boolean committed;

    private OutputFile(Path target, Path temp, Writer writer) {
        this.target = target;
        this.temp = temp;
        this.writer = writer;
    }

    /**
     * Starts writing {@code target}.
     *
     * @param option the option that named it, for messages
     * @throws ConfigException when no file can be created in its folder
     */
    static OutputFile start(String option, Path target) {
        Path folder = target.toAbsolutePath().getParent();
        // Named by this process, not made by createTempFile: the finished file gets the usual
        // permissions rather than a temporary file's owner-only ones.
        Path temp = folder.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.deleteIfExists(temp); // left by a process of the same id that was killed
            return new OutputFile(target, temp, Files.newBufferedWriter(temp, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
        } catch (IOException e) {
            RunDirectory.deleteQuietly(temp);
            throw new ConfigException(option + " " + target + ": cannot write in " + folder + " (" + IoErrors.reason(e) + ")");
        }
    }

    /** Where the text goes until {@link #commit()}. */
    Writer writer() {
        return writer;
    }

    /**
     * Puts the complete file in place of the target, in one rename.
     *
     * @throws WriteFailedException naming the target when the file cannot be finished (a full disk)
     */
    void commit() {
        try {
            writer.close();
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            committed = true;
        } catch (IOException e) {
            RunDirectory.deleteQuietly(temp);
            throw WriteFailedException.of(target, e);
        }
    }

    /** Deletes the temporary file unless it was committed. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            writer.close();
        } catch (IOException e) {
            // The file is being thrown away: why it could not be flushed does not matter.
        }
        RunDirectory.deleteQuietly(temp);
    }
}
