package dev.keel.trainer.predict;

import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.runs.LockProbe;
import dev.keel.trainer.track.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Why a run directory has no model to load, told so that it leads to the fix: a diverged run needs
 * other settings, an interrupted one needs {@code resume}, a completed one whose model files are
 * gone needs training again, and a folder that is no run needs another path. Resuming a run that
 * failed or completed would do nothing, so only the runs it can finish are sent there.
 */
final class MissingModel {
    private MissingModel() {}

    /** The error for {@code runDir}, which has a folder but no {@code model/keel-model.json}. */
    static ConfigException explain(Path runDir) {
        return new ConfigException(runDir + ": has no trained model (no model/keel-model.json): " + why(runDir));
    }

    private static String why(Path runDir) {
        if (!Files.isRegularFile(runDir.resolve(RunRecord.CONFIG))) {
            return "not a Keel run directory (no config.yaml); give the folder ./keel train made";
        }
        if (Files.exists(runDir.resolve("lr_find.json")) && !Files.exists(runDir.resolve("checkpoints"))) {
            return "it is a learning-rate sweep (./keel lr-find), which trains no model; train one with ./keel train"
                    + " CONFIG";
        }
        Optional<RunRecord.Summary> summary = RunRecord.readSummary(runDir);
        if (summary.isEmpty()) {
            return unfinished(runDir);
        }
        String status = summary.get().status();
        String reason = summary.get().reason() == null ? "" : " (" + summary.get().reason() + ")";
        if (FitStatus.FAILED.label().equals(status)) {
            return "the run failed" + reason + ", so it saved no model, and resuming would fail the same way;"
                    + " see where the loss went wrong in " + runDir.resolve("report.html") + ", then train again"
                    + " with a lower learning rate (optimizer.lr) or clipped gradients (guard.clip_grad_norm; the"
                    + " guard.* settings say when a run diverges)";
        }
        if (FitStatus.INTERRUPTED.label().equals(status)) {
            return "the run was interrupted" + reason + " before it saved its model: finish it with ./keel resume "
                    + runDir;
        }
        return "the run " + status + " but its model files are missing or incomplete; train it again (./keel train "
                + runDir.resolve(RunRecord.CONFIG) + ") or restore " + runDir.resolve("model") + " from a backup";
    }

    /** A run without a readable summary.json: training now, or stopped without recording how. */
    private static String unfinished(Path runDir) {
        if (LockProbe.held(runDir)) {
            return "the run is still training (a process holds " + runDir.resolve(".lock") + "); wait for it to"
                    + " finish";
        }
        if (Files.exists(runDir.resolve(RunRecord.SUMMARY))) {
            return runDir.resolve(RunRecord.SUMMARY) + " cannot be read, so how the run ended is unknown; ./keel"
                    + " resume " + runDir + " finishes a run that did not complete";
        }
        return "the run did not complete (killed, or it crashed, before it wrote summary.json): finish it with"
                + " ./keel resume " + runDir;
    }
}
