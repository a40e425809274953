package dev.keel.trainer.run;

import dev.keel.trainer.engine.IsaChoice;
import dev.keel.trainer.lrfind.LrFinderResult;
import dev.keel.trainer.report.RunReport;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.RunRecord;
import dev.keel.trainer.track.WriteFailedException;
import java.io.IOException;
import java.util.List;

/** A run resumed before its first checkpoint starts over in its own folder. */
final class StartOver {
    private StartOver() {}

    /**
     * Clears what the run left (a partial metrics.jsonl, lr_find.*, a summary and its report),
     * keeping config.yaml and provenance.json, and records the restart.
     */
    static void clear(RunDirectory dir, IsaChoice isa) {
        for (String name : List.of("metrics.jsonl", RunRecord.SUMMARY, LrFinderResult.CSV, LrFinderResult.JSON,
                LrFinderResult.PNG, "model", "checkpoints", RunReport.FILE, "plots")) {
            try {
                RunDirectory.deleteRecursively(dir.root().resolve(name));
            } catch (IOException e) {
                throw WriteFailedException.of(dir.root().resolve(name), e);
            }
        }
        RunRecord record = new RunRecord(dir);
        if (record.hasProvenance()) {
            record.addResume(0, null, isa);
        }
    }
}
