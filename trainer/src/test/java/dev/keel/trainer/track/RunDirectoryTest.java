package dev.keel.trainer.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keel.trainer.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    @TempDir
    Path temp;

    @Test
    void aFullDiskIsReportedAsSuchAndLeavesNoTemporaryFile() throws Exception {
        Path devFull = Path.of("/dev/full");
        assumeTrue(Files.exists(devFull), "Linux's /dev/full answers every write with ENOSPC");
        try (RunDirectory dir = RunDirectory.create(temp, "full", null, List.of("train", "x.yaml"))) {
            // The temporary file summary.json is written to first is /dev/full: the write hits a full disk.
            Path tempFile = dir.root().resolve(".summary.json.tmp");
            Files.createSymbolicLink(tempFile, devFull);

            WriteFailedException e = assertThrows(WriteFailedException.class,
                    () -> dir.writeText("summary.json", "{}".repeat(10_000)));

            assertTrue(e.diskFull());
            assertEquals("cannot write " + dir.root().resolve("summary.json")
                    + ": the disk is full (No space left on device)", e.getMessage());
            assertFalse(Files.exists(tempFile, java.nio.file.LinkOption.NOFOLLOW_LINKS), "the temporary file is gone");
            assertFalse(Files.exists(dir.root().resolve("summary.json")));
        }
    }

    @Test
    void aRunDirectoryBelongsToOneHolderAtATime() {
        Path run = temp.resolve("run");
        try (RunDirectory first = RunDirectory.create(temp, "x", run, List.of("train", "x.yaml"))) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> RunDirectory.open(run, List.of("resume", run.toString())));
            assertTrue(e.getMessage().startsWith(run + ": in use by another Keel process (pid "
                    + ProcessHandle.current().pid() + ", keel train x.yaml, since "), e.getMessage());
        }
        RunDirectory.open(run, List.of("resume", run.toString())).close(); // released with the first holder
    }

    @Test
    void runsRootAndRunDirThatCannotHoldARun() throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        assertEquals("--runs-root " + file + ": is a file (expected a folder)", assertThrows(ConfigException.class,
                () -> RunDirectory.create(file, "x", null, List.of())).getMessage());
        assertEquals("--run-dir " + file.resolve("run") + ": " + file + " is a file (expected a folder)",
                assertThrows(ConfigException.class,
                        () -> RunDirectory.create(temp, "x", file.resolve("run"), List.of())).getMessage());
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "/proc refuses new folders");
        assertTrue(assertThrows(ConfigException.class,
                () -> RunDirectory.create(temp, "x", Path.of("/proc/keel-run"), List.of())).getMessage()
                .startsWith("--run-dir /proc/keel-run: cannot create the run directory ("));
    }

    @Test
    void clearingANewRunRemovesItsFolder() {
        RunDirectory dir = RunDirectory.create(temp, "x", null, List.of());
        dir.writeText("config.yaml", "name: x\n");
        dir.clear(true);
        assertFalse(Files.exists(dir.root()));
    }
}
