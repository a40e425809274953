package dev.keel.trainer.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.trainer.FileSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runs} and {@code runs compare} on run files that are not what Keel wrote: a pipe or a
 * folder where a file belongs, numbers beyond a double. They are reported, never waited on, never
 * a crash, and nothing is written.
 */
class UntrustedRunFilesTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(30);

    @TempDir
    Path root;

    @Test
    void aSummaryThatIsAPipeIsListedAsUnreadableWithoutWaitingForIt() throws Exception {
        FakeRun run = FakeRun.at(root, "20261203-120000-quickstart").started("train", "2026-12-03T12:00:00Z");
        fifo(run.dir().resolve("summary.json"));

        RunsCli listing = listPromptly();

        assertEquals(0, listing.exit(), listing.err());
        assertTrue(listing.out().contains("unreadable: summary.json: not a regular file"), listing.out());
    }

    @Test
    void aConfigThatIsAPipeIsListedAsUnreadable() throws Exception {
        FakeRun run = FakeRun.at(root, "20261203-120000-quickstart").summary("completed", 90, 0.92);
        fifo(run.dir().resolve("config.yaml"));

        RunsCli listing = listPromptly();

        assertEquals(0, listing.exit(), listing.err());
        assertTrue(listing.out().contains("unreadable: config.yaml: not a regular file"), listing.out());
    }

    @Test
    void aSummaryThatIsAFolderIsListedAsUnreadable() throws Exception {
        FakeRun run = FakeRun.at(root, "20261203-120000-quickstart").started("train", "2026-12-03T12:00:00Z");
        Files.createDirectories(run.dir().resolve("summary.json"));

        RunsCli listing = listPromptly();

        assertEquals(0, listing.exit(), listing.err());
        assertTrue(listing.out().contains("unreadable: summary.json: a folder, not a file"), listing.out());
    }

    @Test
    void aSummaryWithNumbersBeyondADoubleIsListed() throws Exception {
        FakeRun.at(root, "20261203-120000-quickstart").started("train", "2026-12-03T12:00:00Z")
                .file("summary.json", """
                        {"status": "completed", "epochs": 99999999999999999999, "steps": 1e400, "wall_seconds": 1e400,
                         "train_seconds": -1e400, "test": {"accuracy": 1e400, "loss": 1e400}}
                        """);

        RunsCli listing = listPromptly();

        assertEquals(0, listing.exit(), listing.err());
        assertTrue(listing.out().contains("20261203-120000-quickstart"), listing.out());
    }

    @Test
    void configValuesBeyondADoubleAreCompared() throws Exception {
        FakeRun a = FakeRun.at(root, "a").started("train", "2026-12-03T12:00:00Z")
                .file("config.yaml", FakeRun.CONFIG.replace("lr: 0.003", "lr: 1.0e400"));
        FakeRun b = FakeRun.at(root, "b").started("train", "2026-12-03T13:00:00Z")
                .file("config.yaml", FakeRun.CONFIG.replace("lr: 0.003", "lr: 2.0e400").replace("seed: 42", "seed: 1e400"));
        FileSnapshot before = FileSnapshot.of(root);

        RunsCli compare = assertTimeoutPreemptively(PROMPTLY, () -> RunsCli.keel("runs", "compare", a.dir().toString(),
                b.dir().toString()));

        assertEquals(0, compare.exit(), compare.err());
        assertFalse(compare.out().contains("optimizer.lr"), "1.0e400 and 2.0e400 both read as infinity: " + compare.out());
        assertTrue(compare.out().lines().anyMatch(l -> l.startsWith("  seed") && l.contains("42")), compare.out());
        assertEquals(List.of(), FileSnapshot.of(root).changesSince(before));
    }

    @Test
    void aMetricsFileThatIsAPipeIsPassedOverByCompare() throws Exception {
        FakeRun a = FakeRun.at(root, "a").started("train", "2026-12-03T12:00:00Z").summary("completed", 90, 0.92);
        FakeRun b = FakeRun.at(root, "b").started("train", "2026-12-03T13:00:00Z");
        fifo(b.dir().resolve("summary.json"));
        fifo(b.dir().resolve("metrics.jsonl"));

        RunsCli compare = assertTimeoutPreemptively(PROMPTLY, () -> RunsCli.keel("runs", "compare", a.dir().toString(),
                b.dir().toString()));

        assertEquals(0, compare.exit(), compare.err());
        assertTrue(compare.out().contains("unreadable: summary.json: not a regular file"), compare.out());
    }

    private RunsCli listPromptly() throws IOException {
        FileSnapshot before = FileSnapshot.of(root);
        RunsCli listing = assertTimeoutPreemptively(PROMPTLY, () -> RunsCli.keel("runs", "--runs-root",
                root.toString()), "a pipe is never opened");
        assertEquals(List.of(), FileSnapshot.of(root).changesSince(before), "runs writes nothing");
        return listing;
    }

    private static void fifo(Path path) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor(), "mkfifo " + path);
    }
}
