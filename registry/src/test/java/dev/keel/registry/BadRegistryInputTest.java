package dev.keel.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.trainer.track.RunLock;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input to {@code keel registry} exits with code 2 and one line that says what is wrong,
 * with no stack trace, and leaves the registry file as it was.
 */
class BadRegistryInputTest {
    @TempDir
    static Path runs;
    static Path finished;

    @TempDir
    Path temp;
    Path db;

    @BeforeAll
    static void train() throws Exception {
        finished = TinyRuns.train(runs.resolve("finished"), 3);
    }

    @BeforeEach
    void registerOne() {
        db = temp.resolve("registry.db");
        assertEquals(0, Cli.registry(db, "register", finished.toString(), "--name", "table").exit());
    }

    /** Runs the command and checks the refusal: code 2, one line naming {@code expected}, the file unchanged. */
    private Cli.Result refused(String expected, String... args) throws Exception {
        byte[] before = Files.exists(db) ? Files.readAllBytes(db) : null;
        Cli.Result result = Cli.registry(db, args);
        assertEquals(2, result.exit(), result.all());
        assertEquals(1, result.err().strip().lines().count(), result.all());
        assertTrue(result.err().startsWith("keel: "), result.all());
        assertTrue(result.err().contains(expected), "expected \"" + expected + "\" in\n" + result.all());
        assertFalse(result.err().contains("Exception") || result.err().contains("\tat "), result.all());
        if (before != null) {
            assertArrayEquals(before, Files.readAllBytes(db), "the registry file changed");
        }
        return result;
    }

    @Test
    void unknownModelName() throws Exception {
        refused("no model named \"nope\"", "show", "nope");
    }

    @Test
    void badVersionNumber() throws Exception {
        refused("version \"abc\": expected a version number", "promote", "table", "abc", "--to", "production");
    }

    @Test
    void unknownVersion() throws Exception {
        refused("table has no version 9", "promote", "table", "9", "--to", "production");
    }

    @Test
    void unknownStage() throws Exception {
        refused("--to \"live\": unknown stage; expected staging or production", "promote", "table", "1", "--to",
                "live");
        refused("--to \"archived\": archive NAME VERSION archives a version", "promote", "table", "1", "--to",
                "archived");
    }

    @Test
    void stageWithoutHolder() throws Exception {
        refused("no version of table is in production", "show", "table@production");
    }

    @Test
    void unknownAlias() throws Exception {
        refused("not a version number, a stage (staging, production) or an alias of table", "show", "table@champion");
    }

    @Test
    void badModelName() throws Exception {
        refused("--name \"bad name!\": expected letters, digits", "register", finished.toString(), "--name",
                "bad name!");
    }

    @Test
    void notARunDirectory() throws Exception {
        Files.createDirectories(temp.resolve("empty"));
        refused("not a Keel run directory", "register", temp.resolve("empty").toString(), "--name", "table");
    }

    @Test
    void runWithoutSummaryIsUnfinished() throws Exception {
        Path run = TinyRuns.copy(finished, temp.resolve("killed"));
        Files.delete(run.resolve("summary.json"));
        refused("unfinished: no summary.json", "register", run.toString(), "--name", "table");
    }

    @Test
    void refusedRegistrationCreatesNoRegistry() throws Exception {
        Path run = TinyRuns.copy(finished, temp.resolve("unfinished"));
        Files.delete(run.resolve("summary.json"));
        db = temp.resolve("new.db");
        refused("unfinished: no summary.json", "register", run.toString(), "--name", "table");
        assertFalse(Files.exists(db));
    }

    @Test
    void runWhoseLockIsHeldIsUnfinished() throws Exception {
        Path run = TinyRuns.copy(finished, temp.resolve("training"));
        try (FileChannel channel = FileChannel.open(run.resolve(RunLock.FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
            assertTrue(lock.isValid());
            refused("a process is working in it", "register", run.toString(), "--name", "table");
        }
    }

    @Test
    void failedAndInterruptedRunsAreRefused() throws Exception {
        for (String status : new String[] {"failed", "interrupted"}) {
            Path run = TinyRuns.copy(finished, temp.resolve(status));
            Path summary = run.resolve("summary.json");
            Files.writeString(summary, Files.readString(summary).replace("\"completed\"", "\"" + status + "\""));
            refused("the run is " + status, "register", run.toString(), "--name", "table");
        }
    }

    @Test
    void modelFailingItsManifestIsRefused() throws Exception {
        Path run = TinyRuns.copy(finished, temp.resolve("damaged"));
        Path params = TinyRuns.paramsFile(run);
        Files.write(params, new byte[] {1}, StandardOpenOption.APPEND);
        refused(params.getFileName() + " fails its SHA-256 check", "register", run.toString(), "--name", "table");
    }

    @Test
    void modelFileChangedAfterRegistrationIsRefusedByPredict() throws Exception {
        Path run = TinyRuns.copy(finished, temp.resolve("registered"));
        assertEquals(0, Cli.registry(db, "register", run.toString(), "--name", "copied").exit());
        Path rows = Files.writeString(temp.resolve("rows.csv"), "x1,x2\n0.95,0.90\n");
        Path synset = run.resolve("model/synset.txt");
        Files.writeString(synset, Files.readString(synset).replace("yes", "maybe"));
        byte[] before = Files.readAllBytes(db);
        Cli.Result result = Cli.keel(db, "predict", "copied@1", rows.toString());
        assertEquals(2, result.exit(), result.all());
        assertEquals(1, result.err().strip().lines().count(), result.all());
        assertTrue(result.err().startsWith("keel: copied@1 (version 1): " + synset + " changed after it was"
                + " registered"), result.all());
        assertFalse(result.err().contains("Exception"), result.all());
        assertArrayEquals(before, Files.readAllBytes(db));
    }

    @Test
    void deletedVersionCannotBePromoted() throws Exception {
        assertEquals(0, Cli.registry(db, "delete", "table", "1").exit());
        refused("table version 1 was deleted", "promote", "table", "1", "--to", "staging");
    }

    @Test
    void badTimeForHistoryAt() throws Exception {
        refused("--at yesterday: expected an ISO-8601 time", "history", "table", "--at", "yesterday");
    }

    @Test
    void fileThatIsNotSqliteIsRefusedUntouched() throws Exception {
        db = temp.resolve("notes.db");
        Files.writeString(db, "these are notes, not a database\n".repeat(200));
        refused("cannot be read as a Keel registry", "list");
        refused("cannot be read as a Keel registry", "register", finished.toString(), "--name", "table");
    }

    @Test
    void damagedRegistryIsRefusedUntouched() throws Exception {
        byte[] whole = Files.readAllBytes(db);
        byte[] damaged = whole.clone();
        // Page 2 onwards overwritten: the header reads, the tables do not.
        for (int i = 4096; i < damaged.length; i++) {
            damaged[i] = (byte) 0xA5;
        }
        Files.write(db, damaged);
        refused("damaged", "history", "table");
        refused("damaged", "register", finished.toString(), "--name", "table");
    }

    @Test
    void sqliteFileOfAnotherKindIsRefusedUntouched() throws Exception {
        db = temp.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (text TEXT)");
        }
        refused("not a Keel registry", "register", finished.toString(), "--name", "table");
    }

    @Test
    void registryOfANewerSchemaIsRefusedUntouched() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 3");
        }
        refused("written by a newer Keel (schema 3, this Keel reads up to 2)", "list");
        refused("written by a newer Keel (schema 3, this Keel reads up to 2)", "promote", "table", "1", "--to",
                "production");
    }

    @Test
    void missingRegistryIsNotCreatedByAReadingCommand() throws Exception {
        db = temp.resolve("elsewhere.db");
        refused("no registry there", "show", "table");
        assertFalse(Files.exists(db));
    }
}
