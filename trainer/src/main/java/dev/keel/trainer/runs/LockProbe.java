package dev.keel.trainer.runs;

import dev.keel.trainer.track.RunLock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Whether a process holds a run directory's {@link RunLock}: a run trains, resumes or sweeps there now. */
public final class LockProbe {
    private LockProbe() {}

    /**
     * Asks for a shared lock on {@code .lock} without waiting, and lets go of it at once: it conflicts
     * with a holder's exclusive lock and with nothing else. Java cannot ask the OS who holds a lock
     * without asking for it, so a run that starts in the microseconds the probe holds it is refused
     * as if the folder were in use. False when the file is missing or cannot be opened.
     */
    public static boolean held(Path runDir) {
        Path file = runDir.resolve(RunLock.FILE);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this JVM holds it
        } catch (IOException e) {
            return false;
        }
    }
}
