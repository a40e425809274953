package dev.keel.trainer.track;

import dev.keel.trainer.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * A run directory belongs to one process at a time: {@code train}, {@code resume} and {@code
 * lr-find} hold an OS file lock on {@code <run>/.lock} while they work. The operating system drops
 * the lock when the process ends, however it ends, so a run killed with SIGKILL never leaves a
 * stale lock. The file itself stays (deleting it would let two processes lock two different files
 * of the same name); it holds the process id and command of the last holder, for the message a
 * second process prints.
 */
public final class RunLock implements AutoCloseable {
    /** The lock file's name inside a run directory. */
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code runDir} for this process and records who holds it.
     *
     * @param commandLine this process's command, recorded for a second process's message
     * @throws ConfigException when another process holds the run directory
     */
    public static RunLock acquire(Path runDir, List<String> commandLine) {
        Path file = runDir.resolve(FILE);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this JVM, which is as busy as another process
            }
            if (lock == null) {
                String holder = read(channel);
                channel.close();
                throw new ConfigException(runDir + ": in use by another Keel process"
                        + (holder.isBlank() ? "" : " (" + holder + ")")
                        + "; a run directory belongs to one process at a time: wait for it to end or stop it");
            }
            String holder = "pid " + ProcessHandle.current().pid() + ", keel " + String.join(" ", commandLine)
                    + ", since " + Instant.now();
            try {
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            } catch (IOException e) {
                // A full disk: the lock holds without the note; the run's own writes report the disk.
            }
            return new RunLock(channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    private static String read(FileChannel channel) throws IOException {
        long size = Math.min(channel.size(), 4096);
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a channel that failed to lock: nothing more to release.
        }
    }

    /** Releases the lock; the next process may take the run directory. */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The OS releases the lock with the channel at the latest when the process ends.
            closeQuietly(channel);
        }
    }
}
