package dev.keel.trainer.run;

import dev.keel.trainer.fit.EvalResult;
import dev.keel.trainer.fit.FitResult;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.track.RunRecord;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a training run produced.
 *
 * @param runDir the run directory
 * @param status how the run stands: {@code COMPLETED} or {@code STOPPED} (early stopping) when it
 *     finished, {@code INTERRUPTED} when a signal stopped it after a checkpoint (it can resume)
 * @param fit how the loop ended; null when a resumed run had already finished
 * @param test the final evaluation on the test split, or null when the run did not complete now
 * @param exitCode what a process that ran it exits with: 0, or 128 + the signal that interrupted the run
 */
public record RunOutcome(Path runDir, FitStatus status, FitResult fit, EvalResult test, int exitCode) {

    /** The run's summary.json, as the run left it; empty when it has none or it cannot be read. */
    public Optional<RunRecord.Summary> summary() {
        return RunRecord.readSummary(runDir);
    }
}
