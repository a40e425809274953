package dev.keel.trainer.track;

import java.nio.file.Path;

/**
 * The git checkout a run was started from.
 *
 * @param commit the commit checked out; null outside a git checkout (or without git)
 * @param dirty whether tracked files differ from that commit; null outside a git checkout
 */
public record GitState(String commit, Boolean dirty) {
    /** Outside a git checkout, or git is not installed. */
    public static final GitState NONE = new GitState(null, null);

    /** The state of the checkout {@code dir} lies in. */
    public static GitState of(Path dir) {
        String commit = CommandOutput.of(dir, "git", "rev-parse", "HEAD");
        if (commit == null) {
            return NONE;
        }
        // Untracked files are left out, as git describe --dirty does: run folders and data sit beside the code.
        String changes = CommandOutput.of(dir, "git", "status", "--porcelain", "--untracked-files=no");
        return new GitState(commit, changes == null ? null : !changes.isEmpty());
    }

    /** The commit with "-dirty" appended when tracked files had changes, as provenance's git_commit. */
    public String label() {
        return commit == null || !Boolean.TRUE.equals(dirty) ? commit : commit + "-dirty";
    }
}
