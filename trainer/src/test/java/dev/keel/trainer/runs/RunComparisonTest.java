package dev.keel.trainer.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.trainer.cli.KeelCli;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunComparisonTest {
    private static final String NL = System.lineSeparator();

    @TempDir
    Path root;

    private FakeRun a;
    private FakeRun b;

    @BeforeEach
    void twoRuns() {
        a = FakeRun.at(root, "20261202-235134-quickstart").started("train", "2026-12-02T23:51:34Z")
                .file("summary.json", """
                        {"status": "completed", "epochs": 5, "steps": 2105, "wall_seconds": 91.96,
                         "train_seconds": 85.97, "valid": {"accuracy": 0.92467, "loss": 0.21593},
                         "test": {"accuracy": 0.9218, "loss": 0.22187}}
                        """)
                .file("metrics.jsonl", """
                        {"kind":"epoch","epoch":4,"step":1684,"train_loss":0.2039}
                        {"kind":"step","epoch":5,"step":2100,"loss":0.1589}
                        {"kind":"epoch","epoch":5,"step":2105,"train_loss":0.1554}
                        {"kind":"test","epoch":5,"step":2105,"test_loss":0.22187,"test_accuracy":0.9218}
                        """);
        b = FakeRun.at(root, "20261203-091500-quickstart").started("train", "2026-12-03T09:15:00Z")
                .file("config.yaml", FakeRun.CONFIG.replace("  - 48", "  - 64").replace("lr: 0.003", "lr: auto")
                        .replace("epochs: 5", "epochs: 3").replace("  dropout: 0.25\n", "")
                        + "finetune:\n  freeze_epochs: 1\n")
                .file("summary.json", """
                        {"status": "stopped", "reason": "early stopping", "epochs": 3, "steps": 1263,
                         "wall_seconds": 57.2, "train_seconds": 51.0, "valid": {"accuracy": 0.9101, "loss": 0.2456},
                         "test": {"accuracy": 0.9066, "loss": 0.2571}}
                        """)
                .file("metrics.jsonl", """
                        {"kind":"epoch","epoch":3,"step":1263,"train_loss":0.2011}
                        {"kind":"ep""");
    }

    @Test
    void showsTheConfigKeysThatDifferAndTheMetricsSideBySide() {
        RunsCli compare = RunsCli.keel("runs", "compare", "20261202-235134-quickstart",
                "20261203-091500-quickstart", "--runs-root", root.toString());

        assertEquals(0, compare.exit(), compare.err());
        assertEquals(String.join(NL,
                "A  " + a.dir(),
                "B  " + b.dir(),
                "",
                "config: 5 of 10 keys differ",
                "  KEY                     A         B",
                "  model.channels          [24, 48]  [24, 64]",
                "  model.dropout           0.25      (absent)",
                "  optimizer.lr            0.003     auto",
                "  train.epochs            5         3",
                "  finetune.freeze_epochs  (absent)  1",
                "",
                "metrics",
                "  METRIC            A          B            B - A",
                "  status            completed  stopped",
                "  epochs            5          3               -2",
                "  steps             2,105      1,263         -842",
                "  train time        1m 26s     51s           -35s",
                "  wall time         1m 32s     57s           -35s",
                "  valid accuracy    92.47%     91.01%   -1.46 pts",
                "  valid loss        0.2159     0.2456     +0.0297",
                "  test accuracy     92.18%     90.66%   -1.52 pts",
                "  test loss         0.2219     0.2571     +0.0352",
                "  final train loss  0.1554     0.2011     +0.0457") + NL, compare.out());
    }

    @Test
    void runsAreFoundByPathOrByIdWithTheRunsRootGivenBeforeOrAfterCompare() {
        RunsCli byPath = RunsCli.keel("runs", "compare", a.dir().toString(), b.dir().toString());
        RunsCli rootFirst = RunsCli.keel("runs", "--runs-root", root.toString(), "compare",
                "20261202-235134-quickstart", "20261203-091500-quickstart");

        assertEquals(0, byPath.exit(), byPath.err());
        assertEquals(0, rootFirst.exit(), rootFirst.err());
        assertEquals(byPath.out(), rootFirst.out());
    }

    @Test
    void identicalConfigsAndMissingMetricsAreSaidPlainly() {
        FakeRun killed = FakeRun.at(root, "killed").started("train", "2026-12-03T10:00:00Z");

        RunsCli compare = RunsCli.keel("runs", "compare", a.dir().toString(), killed.dir().toString());

        assertEquals(0, compare.exit(), compare.err());
        assertTrue(compare.out().contains(NL + "config: the same (9 keys)" + NL), compare.out());
        assertTrue(compare.out().contains(NL + "  status            completed  incomplete: no summary.json" + NL),
                compare.out());
        assertTrue(compare.out().contains(NL + "  test accuracy     92.18%     -" + NL), compare.out());
    }

    @Test
    void aMissingRunOrAFolderThatIsNoRunEndsWithExitCode2AndOneLine() {
        RunsCli missing = RunsCli.keel("runs", "compare", "20261202-235134-quickstart", "nowhere",
                "--runs-root", root.toString());
        assertEquals(KeelCli.EXIT_USAGE, missing.exit());
        assertEquals("keel: nowhere: no such run (neither a folder nor a run id under " + root + ")" + NL,
                missing.err());
        assertEquals("", missing.out());

        FakeRun notes = FakeRun.at(root, "notes").file("README.txt", "ideas\n");
        RunsCli notARun = RunsCli.keel("runs", "compare", notes.dir().toString(), a.dir().toString());
        assertEquals(KeelCli.EXIT_USAGE, notARun.exit());
        assertEquals("keel: " + notes.dir() + ": not a Keel run directory (no config.yaml)" + NL, notARun.err());

        FakeRun broken = FakeRun.at(root, "broken").file("config.yaml", "name: [x\n");
        RunsCli unreadable = RunsCli.keel("runs", "compare", a.dir().toString(), broken.dir().toString());
        assertEquals(KeelCli.EXIT_USAGE, unreadable.exit());
        assertTrue(unreadable.err().startsWith("keel: " + broken.dir().resolve("config.yaml") + ": cannot be read: "),
                unreadable.err());
        assertFalse(unreadable.err().contains("\tat "), "no stack trace: " + unreadable.err());
    }
}
