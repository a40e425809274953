package dev.keel.trainer.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.trainer.cli.KeelCli;
import dev.keel.trainer.track.RunLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunListingTest {
    @TempDir
    Path root;

    @Test
    void runsAreListedNewestFirstInAlignedColumns() {
        FakeRun.at(root, "a-old").started("train", "2026-12-01T08:00:00Z").summary("stopped", 57.2, 0.9);
        FakeRun.at(root, "b-new").started("train", "2026-12-03T10:00:00Z").summary("completed", 91.96, 0.9218);
        FakeRun.at(root, "c-mid").started("train", "2026-12-02T09:30:00Z").summary("completed", 3725, 0.91);

        assertEquals(List.of(
                "ID     KIND   CONFIG      TEST ACC  DURATION  STARTED           STATUS",
                "b-new  train  quickstart    92.18%    1m 27s  2026-12-03 10:00  completed",
                "c-mid  train  quickstart    91.00%  1h 2m 0s  2026-12-02 09:30  completed",
                "a-old  train  quickstart    90.00%       52s  2026-12-01 08:00  stopped"),
                RunListing.read(root).lines(ZoneOffset.UTC));
    }

    @Test
    void runsThatAreBrokenInAnyWayAreListedAsSuch() throws Exception {
        FakeRun.at(root, "killed").started("train", "2026-12-03T01:00:00Z")
                .file("metrics.jsonl", "{\"kind\":\"step\",\"epoch\":1,\"step\":50,\"loss\":0.9}\n{\"kind\":\"st");
        FakeRun.at(root, "died-starting").file(RunLock.FILE, "pid 12, keel train x.yaml\n");
        FakeRun.at(root, "cut-short").started("train", "2026-12-03T02:00:00Z")
                .file("summary.json", "{\"status\": \"completed\", \"epochs\": 5,");
        FakeRun.at(root, "not-an-object").started("train", "2026-12-03T03:00:00Z").file("summary.json", "[1, 2]");
        FakeRun.at(root, "no-status").started("train", "2026-12-03T04:00:00Z")
                .file("summary.json", "{\"epochs\": 5, \"steps\": 10, \"wall_seconds\": 3.0}");
        FakeRun.at(root, "older").started("train", "2026-12-03T05:00:00Z")
                .file("summary.json", "{\"status\": \"completed\", \"epochs\": 5, \"steps\": 10,"
                        + " \"wall_seconds\": 42.4}");
        FakeRun.at(root, "bad-config").file("config.yaml", "name: [quickstart\n");
        FakeRun.at(root, "quickstart-lr-find").started("lr-find", "2026-12-03T06:00:00Z").file("lr_find.json", """
                {"steps": 89, "stop": "diverged", "seconds": 3.68, "suggested_by": "minimum_div_10",
                 "suggestion": 0.0115}
                """);
        FakeRun.at(root, "sweep-lr-find").started("lr-find", "2026-12-03T07:00:00Z").file("lr_find.json", """
                {"steps": 3, "stop": "not_finite", "stop_reason": "loss became NaN or infinite", "seconds": 0.2,
                 "suggested_by": "valley", "suggestion": null}
                """);
        FakeRun.at(root, "notes").file("README.txt", "ideas\n");

        Map<String, Map<String, String>> rows = rows(RunListing.read(root).lines(ZoneOffset.UTC));

        assertEquals("incomplete: no summary.json", rows.get("killed").get("STATUS"));
        assertEquals("incomplete: no config.yaml", rows.get("died-starting").get("STATUS"));
        assertEquals("unreadable: summary.json: cut short (line 1, column 37)", rows.get("cut-short").get("STATUS"));
        assertEquals("unreadable: summary.json: not a mapping of keys", rows.get("not-an-object").get("STATUS"));
        assertEquals("unreadable: summary.json: no status", rows.get("no-status").get("STATUS"));
        assertEquals("completed (older format: no test)", rows.get("older").get("STATUS"));
        assertEquals("-", rows.get("older").get("TEST ACC"));
        assertEquals("42s", rows.get("older").get("DURATION"));
        assertTrue(rows.get("bad-config").get("STATUS").startsWith("unreadable: config.yaml: "),
                rows.get("bad-config").toString());
        assertEquals(Map.of("ID", "quickstart-lr-find", "KIND", "lr-find", "CONFIG", "quickstart", "TEST ACC", "-",
                "DURATION", "3.7s", "STARTED", "2026-12-03 06:00", "STATUS", "lr 0.0115 (minimum_div_10)"),
                rows.get("quickstart-lr-find"));
        assertEquals("no suggestion (loss became NaN or infinite)", rows.get("sweep-lr-find").get("STATUS"));
        assertEquals(9, rows.size(), "every run listed, the folder that is not a run left out: " + rows.keySet());
    }

    @Test
    void aFolderThatNoRunWroteIsNamedBelowTheList() {
        FakeRun.at(root, "run").started("train", "2026-12-03T01:00:00Z").summary("completed", 80, 0.9);
        FakeRun.at(root, "notes").file("README.txt", "ideas\n");
        FakeRun.at(root, "plots");

        List<String> lines = RunListing.read(root).lines(ZoneOffset.UTC);

        assertEquals(3, lines.size(), lines.toString());
        assertEquals("not runs (no Keel run files): notes, plots", lines.get(2));
    }

    @Test
    void aRunThatAProcessHoldsIsRunningWhateverItsFilesSay() {
        FakeRun run = FakeRun.at(root, "resuming").started("train", "2026-12-03T01:00:00Z")
                .file("summary.json", "{\"status\": \"interrupted\", \"epochs\": 1, \"steps\": 9,"
                        + " \"wall_seconds\": 3}");
        try (RunLock lock = RunLock.acquire(run.dir(), List.of("resume", run.dir().toString()))) {
            assertEquals("running", rows(RunListing.read(root).lines(ZoneOffset.UTC)).get("resuming").get("STATUS"));
        }
        assertEquals("interrupted", rows(RunListing.read(root).lines(ZoneOffset.UTC)).get("resuming").get("STATUS"));
    }

    @Test
    void noRunsIsSaidInOneLineAndIsNoError() throws Exception {
        RunsCli missing = RunsCli.keel("runs", "--runs-root", root.resolve("absent").toString());
        assertEquals(0, missing.exit(), missing.err());
        assertEquals(root.resolve("absent") + " does not exist yet; train one with ./keel train CONFIG, or name another"
                + " folder with --runs-root DIR" + System.lineSeparator(), missing.out());

        RunsCli empty = RunsCli.keel("runs", "--runs-root", root.toString());
        assertEquals(0, empty.exit(), empty.err());
        assertTrue(empty.out().startsWith("no runs in " + root + " yet; "), empty.out());

        Path file = Files.writeString(root.resolve("a-file"), "x");
        RunsCli notAFolder = RunsCli.keel("runs", "--runs-root", file.toString());
        assertEquals(KeelCli.EXIT_USAGE, notAFolder.exit());
        assertEquals("keel: --runs-root " + file + ": is a file (expected a folder)" + System.lineSeparator(),
                notAFolder.err());
    }

    @Test
    void theCommandListsTheRunsUnderTheRunsRoot() {
        FakeRun.at(root, "20261203-100000-quickstart").started("train", "2026-12-03T10:00:00Z")
                .summary("completed", 91.96, 0.9218);

        RunsCli listing = RunsCli.keel("runs", "--runs-root", root.toString());

        assertEquals(0, listing.exit(), listing.err());
        List<String> lines = listing.out().lines().toList();
        assertEquals(2, lines.size(), listing.out());
        assertTrue(lines.get(1).startsWith("20261203-100000-quickstart  train  quickstart    92.18%    1m 27s  "),
                lines.get(1));
        assertTrue(lines.get(1).endsWith("  completed"), lines.get(1));
    }

    /** Each row's cells by column name; columns are two or more spaces apart and no cell holds two spaces. */
    private static Map<String, Map<String, String>> rows(List<String> lines) {
        String[] header = lines.get(0).split(" {2,}");
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith("not runs")) {
                continue;
            }
            String[] cells = line.split(" {2,}");
            assertEquals(header.length, cells.length, line);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i]);
            }
            rows.put(cells[0], row);
        }
        return rows;
    }
}
