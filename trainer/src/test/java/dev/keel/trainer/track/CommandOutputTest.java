package dev.keel.trainer.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandOutputTest {
    @TempDir
    Path temp;

    @Test
    void runsInTheFolderGivenAndAnEmptyPathIsTheWorkingDirectory() throws Exception {
        assertEquals(temp.toRealPath().toString(), CommandOutput.of(temp, "pwd"));
        assertEquals(Path.of("").toAbsolutePath().toRealPath().toString(), CommandOutput.of(Path.of(""), "pwd"));
    }

    @Test
    void aCommandThatFailsOrIsMissingGivesNothing() {
        assertNull(CommandOutput.of(temp, "false"));
        assertNull(CommandOutput.of(temp, "keel-no-such-command"));
    }
}
