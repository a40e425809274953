package dev.keel.trainer.run;

import dev.keel.trainer.checkpoint.CheckpointStore;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.session.TrainingFailedException;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.RunRecord;
import dev.keel.trainer.track.WriteFailedException;
import java.nio.file.Files;

/**
 * A file of the run could not be written (most often: the disk is full). Temporary files are gone
 * already; a half-written model goes too. The message says what could not be written, the last good
 * checkpoint, and the command that continues once the cause is fixed.
 */
final class WriteFailure {
    private WriteFailure() {}

    /** @param start {@link System#nanoTime()} when the command began */
    static TrainingFailedException of(WriteFailedException e, RunDirectory dir, CheckpointStore store, long start) {
        RunDirectory.deleteQuietly(dir.root().resolve("model"));
        String cure = e.diskFull() ? "once space is freed" : "once the file can be written";
        if (!Files.isRegularFile(dir.root().resolve(RunRecord.CONFIG))) {
            dir.clear(true);
            return new TrainingFailedException(e.getMessage() + "\nnothing of the run was kept; " + cure
                    + ", run the same command again", e);
        }
        try {
            RunEnd.writeSummary(dir, FitStatus.FAILED, null, null, e.getMessage(), null, start);
        } catch (WriteFailedException again) {
            // The disk is still full; resume does not need the summary.
        }
        String resume = "./keel resume " + dir.root();
        String next = store.latest()
                .map(c -> "the last good checkpoint is " + c.dir().getFileName() + " (" + c.globalStep()
                        + " steps done); " + cure + ", continue with: " + resume)
                .orElse("no checkpoint was written yet; " + cure + ", start it over with: " + resume);
        return new TrainingFailedException(e.getMessage() + "\n" + next, e);
    }
}
