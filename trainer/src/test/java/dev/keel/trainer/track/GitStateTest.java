package dev.keel.trainer.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitStateTest {
    @TempDir
    Path temp;

    @Test
    void outsideAGitCheckoutNothingIsKnown() {
        assertEquals(GitState.NONE, GitState.of(temp));
        assertEquals(null, GitState.NONE.label());
    }

    @Test
    void aChangedTrackedFileMakesTheCheckoutDirtyAndAnUntrackedOneDoesNot() throws Exception {
        assumeTrue(CommandOutput.of(temp, "git", "--version") != null, "git is not installed");
        git("init", "-q");
        Files.writeString(temp.resolve("train.yaml"), "name: a\n");
        git("add", "train.yaml");
        git("-c", "user.name=Keel", "-c", "user.email=keel@example.com", "commit", "-q", "-m", "config");

        GitState clean = GitState.of(temp);
        assertEquals(git("log", "-1", "--format=%H"), clean.commit(), "the full hash of the commit just made");
        assertEquals(false, clean.dirty());
        assertEquals(clean.commit(), clean.label());

        Files.writeString(temp.resolve("runs.txt"), "untracked\n");
        assertEquals(false, GitState.of(temp).dirty());

        Files.writeString(temp.resolve("train.yaml"), "name: b\n");
        GitState dirty = GitState.of(temp);
        assertEquals(true, dirty.dirty());
        assertEquals(clean.commit() + "-dirty", dirty.label());
    }

    /** Runs git in the test's folder and returns what it printed. */
    private String git(String... arguments) {
        String[] command = new String[arguments.length + 1];
        command[0] = "git";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        String output = CommandOutput.of(temp, command);
        assertNotNull(output, String.join(" ", command) + " failed");
        return output;
    }
}
