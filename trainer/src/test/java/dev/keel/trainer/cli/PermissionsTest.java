package dev.keel.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.keel.trainer.FileSnapshot;
import dev.keel.trainer.KeelRun;
import dev.keel.trainer.TinyRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run directories the user may not read or write: each is named with "permission denied" or
 * "read-only" and exit code 2, never taken for a folder without a model. The file system lets a
 * superuser do anything, so there these tests are skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionsTest {
    @TempDir
    static Path temp;

    private Path run;
    private Path rows;

    @BeforeAll
    void trainTinyRun() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        run = TinyRuns.table(temp.resolve("run"), data);
        rows = Files.writeString(data.resolve("rows.csv"), "x1,x2\n0.9,0.8\n");
    }

    @Test
    void anUnreadableRunDirectoryIsNamed() throws IOException {
        withPermissions(run, "-wx------", () -> {
            for (String command : List.of("predict", "evaluate")) {
                List<String> args = command.equals("predict") ? List.of(command, run.toString(), rows.toString())
                        : List.of(command, run.toString());
                KeelRun refused = KeelRun.of(args.toArray(String[]::new));
                assertEquals(KeelCli.EXIT_USAGE, refused.exit(), refused.output());
                assertEquals("keel: " + run + ": cannot be read (permission denied)", refused.err().strip());
            }
        });
    }

    @Test
    void anUnreadableModelFolderIsNamed() throws IOException {
        Path model = run.resolve("model");
        withPermissions(model, "---------", () -> {
            KeelRun refused = KeelRun.of("predict", run.toString(), rows.toString());
            assertEquals(KeelCli.EXIT_USAGE, refused.exit(), refused.output());
            assertEquals("keel: " + model + ": cannot be read (permission denied)", refused.err().strip());
        });
    }

    @Test
    void evaluateRefusesARunItCannotWriteItsInterpretationInto() throws IOException {
        FileSnapshot before = FileSnapshot.of(run);
        withPermissions(run.resolve("interpret"), "r-xr-xr-x", () -> {
            KeelRun refused = KeelRun.of("evaluate", run.toString());
            assertEquals(KeelCli.EXIT_USAGE, refused.exit(), refused.output());
            assertTrue(refused.err().startsWith("keel: " + run.resolve("interpret") + ": read-only"), refused.output());
        });
        assertEquals(List.of(), FileSnapshot.of(run).changesSince(before));
    }

    @Test
    void anUnreadableSummaryIsListedAsSuch() throws IOException {
        withPermissions(run.resolve("summary.json"), "---------", () -> {
            KeelRun listing = KeelRun.of("runs", "--runs-root", temp.toString());
            assertEquals(0, listing.exit(), listing.output());
            assertTrue(listing.out().contains("unreadable: summary.json: permission denied"), listing.output());
        });
    }

    @FunctionalInterface
    private interface Check {
        void run() throws IOException;
    }

    /** Runs {@code check} while {@code path} has {@code permissions}, unless this user is not bound by them. */
    private static void withPermissions(Path path, String permissions, Check check) throws IOException {
        assumeFalse(superuser(), "a superuser is not bound by file permissions");
        String was = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        try {
            check.run();
        } finally {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(was));
        }
    }

    /** Whether this user reads a file that nobody may read. */
    private static boolean superuser() throws IOException {
        Path probe = Files.createTempFile(temp, "probe", "");
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("---------"));
        boolean readable = Files.isReadable(probe);
        Files.delete(probe);
        return readable;
    }
}
