package dev.keel.trainer.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.trainer.cli.KeelCli;
import dev.keel.trainer.track.RunLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keel runs} lists keel tune's studies from their study.json, written here by hand. */
class StudyListingTest {
    @TempDir
    Path temp;

    @Test
    void studiesAreListedNewestFirstWithTheirTrialsBestAndEpochs() {
        Path root = temp.resolve("studies");
        study(root, "20261203-100000-fashion", studyJson("finished", 8, 3, 4, 1, 0, 20, 9,
                "\"best\": {\"trial\": 2, \"value\": 0.91234, \"run_dir\": \"trials/trial-0002\"}"));
        study(root, "20261204-090000-fashion", studyJson("interrupted", 5, 1, 0, 0, 2, 9, 9,
                "\"best\": {\"trial\": 0, \"value\": 0.8812, \"run_dir\": \"trials/trial-0000\"}"));
        study(root, "20261201-120000-quickstart", studyJson("finished", 2, 0, 0, 2, 0, 0, 5, ""));

        assertEquals(List.of(
                "STUDY                       STATUS       TRIALS                                       BEST"
                        + "                               EPOCHS",
                "20261204-090000-fashion     interrupted  5: 1 complete, 0 pruned, 0 failed, 2 paused  "
                        + "valid_accuracy 0.8812 (trial 0)   9 of 45",
                "20261203-100000-fashion     finished     8: 3 complete, 4 pruned, 1 failed            "
                        + "valid_accuracy 0.9123 (trial 2)  20 of 72",
                "20261201-120000-quickstart  finished     2: 0 complete, 0 pruned, 2 failed            "
                        + "-                                 0 of 10"),
                StudyListing.read(root).lines());
    }

    @Test
    void studiesThatAreBrokenInAnyWayAreListedAsSuch() {
        Path root = temp.resolve("studies");
        study(root, "cut-short", "{\"name\": \"fashion\", \"status\": \"fini");
        study(root, "not-an-object", "[1, 2]");
        study(root, "empty", "");
        study(root, "no-status", "{\"name\": \"fashion\", \"trials\": 3}");
        study(root, "unknown-status", "{\"status\": \"exploded\"}");
        study(root, "killed", studyJson("running", 3, 1, 0, 0, 1, 4, 9, ""));
        study(root, "older", "{\"status\": \"finished\", \"trials\": 2, \"states\": {\"complete\": 2},"
                + " \"epochs_trained\": 18}");
        FakeRun.at(root, "started").file("study.db", "");
        FakeRun.at(root, "notes").file("README.txt", "ideas\n");

        List<String> lines = StudyListing.read(root).lines();

        assertEquals(9, lines.size(), "a header and each study, the folder that is not one left out: " + lines);
        assertEquals("unreadable: study.json: cut short (line 1, column 36)", status(lines, "cut-short"));
        assertEquals("unreadable: study.json: not a mapping of keys", status(lines, "not-an-object"));
        assertEquals("unreadable: study.json: empty", status(lines, "empty"));
        assertEquals("unreadable: study.json: no status", status(lines, "no-status"));
        assertEquals("unreadable: study.json: unknown status \"exploded\"", status(lines, "unknown-status"));
        assertEquals("incomplete: killed while running", status(lines, "killed"));
        assertEquals("incomplete: no study.json", status(lines, "started"));
        assertTrue(line(lines, "older").matches("older +finished +2: 2 complete, 0 pruned, 0 failed +- +18"),
                line(lines, "older"));
        assertTrue(line(lines, "cut-short").matches(".*cut short \\(line 1, column 36\\) +- +- +-"),
                "an unreadable study has no numbers: " + line(lines, "cut-short"));
    }

    @Test
    void aStudyThatAProcessHoldsIsRunningWhateverItsFileSays() {
        Path root = temp.resolve("studies");
        Path study = study(root, "20261203-100000-fashion", studyJson("interrupted", 3, 1, 0, 0, 1, 4, 9, ""));

        try (RunLock lock = RunLock.acquire(study, List.of("tune", "--resume", study.toString()))) {
            assertEquals("running", status(StudyListing.read(root).lines(), "20261203-100000-fashion"));
        }
        assertEquals("interrupted", status(StudyListing.read(root).lines(), "20261203-100000-fashion"));
    }

    @Test
    void theCommandListsTheStudiesAfterTheRunsAndOnlyWhenThereAreAny() {
        Path runs = temp.resolve("runs");
        FakeRun.at(runs, "20261203-100000-quickstart").started("train", "2026-12-03T10:00:00Z")
                .summary("completed", 91.96, 0.9218);
        Path studies = temp.resolve("studies");

        RunsCli without = RunsCli.keel("runs", "--runs-root", runs.toString(), "--studies-root", studies.toString());
        study(studies, "20261203-110000-fashion", "{\"status\": \"fini");
        RunsCli with = RunsCli.keel("runs", "--runs-root", runs.toString(), "--studies-root", studies.toString());

        assertEquals(0, without.exit(), without.err());
        assertEquals(2, without.out().lines().count(), without.out());
        assertEquals(0, with.exit(), with.err());
        assertEquals("", with.err(), "no stack trace for an unreadable study");
        List<String> lines = with.out().lines().toList();
        assertEquals(without.out().lines().toList(), lines.subList(0, 2), "the runs first, as before");
        assertEquals("", lines.get(2));
        assertTrue(lines.get(3).startsWith("STUDY  "), lines.get(3));
        assertTrue(lines.get(4).startsWith("20261203-110000-fashion  unreadable: study.json: cut short"),
                lines.get(4));
        assertEquals(5, lines.size(), with.out());
    }

    @Test
    void noRunsButStudiesListsTheStudies() {
        Path studies = temp.resolve("studies");
        study(studies, "20261203-110000-fashion", studyJson("finished", 1, 1, 0, 0, 0, 3, 3,
                "\"best\": {\"trial\": 0, \"value\": 0.5}"));

        RunsCli listing = RunsCli.keel("runs", "--runs-root", temp.resolve("absent").toString(), "--studies-root",
                studies.toString());

        assertEquals(0, listing.exit(), listing.err());
        List<String> lines = listing.out().lines().toList();
        assertTrue(lines.get(0).endsWith(" does not exist yet; train one with ./keel train CONFIG, or name another"
                + " folder with --runs-root DIR"), lines.get(0));
        assertEquals("", lines.get(1));
        assertTrue(lines.get(3).startsWith("20261203-110000-fashion  finished  1: 1 complete"), lines.get(3));
    }

    @Test
    void aStudiesRootThatIsAFileIsOneLineAndExitCode2() throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "x");

        RunsCli listing = RunsCli.keel("runs", "--runs-root", temp.resolve("absent").toString(), "--studies-root",
                file.toString());

        assertEquals(KeelCli.EXIT_USAGE, listing.exit());
        assertEquals("keel: --studies-root " + file + ": is a file (expected a folder)" + System.lineSeparator(),
                listing.err());
        assertFalse(listing.out().contains("STUDY"));
    }

    /** study.json as keel tune's StudyFiles writes it. */
    private static String studyJson(String status, int trials, int complete, int pruned, int failed, int paused,
            int epochs, int maxEpochs, String best) {
        return """
                {"name": "fashion", "status": "%s", "objective": "valid_accuracy", "direction": "maximize",
                 "trials": %d, "states": {"running": 0, "paused": %d, "complete": %d, "pruned": %d, "failed": %d},
                 "epochs_trained": %d, "max_epochs": %d, "trial_seconds": 412.5%s}
                """.formatted(status, trials, paused, complete, pruned, failed, epochs, maxEpochs,
                best.isEmpty() ? "" : ", " + best);
    }

    private static Path study(Path root, String id, String studyJson) {
        return FakeRun.at(root, id).file("study.db", "").file("study.json", studyJson).dir();
    }

    private static String line(List<String> lines, String id) {
        return lines.stream().filter(line -> line.startsWith(id + " ")).findFirst().orElseThrow(() ->
                new AssertionError(id + " not listed: " + lines));
    }

    /** The STATUS cell of the study's line: its columns are two or more spaces apart. */
    private static String status(List<String> lines, String id) {
        return line(lines, id).split(" {2,}")[1];
    }
}
