package dev.keel.tune.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.tune.TinyStudy;
import dev.keel.tune.store.StudyStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A study killed with SIGKILL, during a trial or between two, continues with {@code --resume} to
 * the same trials, the same rung decisions and the same weights as a study never stopped; a trial
 * paused at rungs and continued ends with the weights of the same trial trained straight through.
 */
class StudyResumeTest {
    private static final int TRIALS = 6;

    @TempDir
    static Path temp;
    private static Path config;
    private static Path space;
    private static Path reference;

    @BeforeAll
    static void uninterruptedStudy() throws IOException {
        config = TinyStudy.write(temp.resolve("data"), 5, TinyStudy.space(TRIALS));
        space = temp.resolve("data/space.yaml");
        reference = temp.resolve("reference");
        TinyStudy.Result result = TinyStudy.tune(config.toString(), "--space", space.toString(), "--study-dir",
                reference.toString());
        assertEquals(0, result.exit(), result.err() + result.out());
    }

    @Test
    void theStudyPausesTrialsAtRungsAndContinuesTheLeader() throws IOException {
        try (StudyStore store = StudyStore.openExisting(reference)) {
            List<String> kinds = store.decisions().stream().map(StudyStore.Decision::decision).distinct().toList();
            assertTrue(kinds.contains("paused") && kinds.contains("promoted"), kinds.toString());
        }
        List<String> rows = TinyStudy.trialsTable(reference);
        assertEquals(TRIALS + 1, rows.size());
        assertTrue(rows.stream().anyMatch(row -> row.contains(",complete,")), rows.toString());
        assertTrue(rows.stream().anyMatch(row -> row.contains(",pruned,")), rows.toString());
    }

    @Test
    void killedDuringATrialItResumesToTheUninterruptedStudy() throws Exception {
        Path study = temp.resolve("killed-during");
        killWhen(study, dir -> Files.exists(dir.resolve("trials/trial-0003/metrics.jsonl")));
        assertResumesToReference(study);
    }

    @Test
    void killedBetweenTrialsItResumesToTheUninterruptedStudy() throws Exception {
        Path study = temp.resolve("killed-between");
        Path log = temp.resolve("killed-between.log");
        killWhen(study, dir -> read(log).contains("trial 2 paused"));
        assertResumesToReference(study);
    }

    @Test
    void aPromotedTrialEndsWithTheWeightsOfTheSameTrialTrainedWithoutAPause() throws IOException {
        Path completed = completedTrial(reference);
        Path runDir = temp.resolve("straight");
        int exit = dev.keel.trainer.cli.KeelCli.commandLine().execute("train", completed.resolve("config.yaml").toString(),
                "--run-dir", runDir.toString());
        assertEquals(0, exit);
        assertArrayEquals(TinyStudy.modelWeights(runDir), TinyStudy.modelWeights(completed));
    }

    private void killWhen(Path study, Predicate<Path> moment) throws Exception {
        Path log = temp.resolve(study.getFileName() + ".log");
        Process driver = TinyStudy.start(log, config.toString(), "--space", space.toString(), "--study-dir",
                study.toString());
        try {
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!moment.test(study)) {
                assertTrue(driver.isAlive(), "the study ended before the moment to kill it: " + read(log));
                assertTrue(System.nanoTime() < deadline, "the moment to kill never came: " + read(log));
                Thread.sleep(10);
            }
        } finally {
            List<ProcessHandle> trials = driver.descendants().toList();
            driver.destroyForcibly().waitFor();
            for (ProcessHandle trial : trials) { // they halt when the study's pipe closes; wait for it
                trial.onExit().get();
            }
        }
        assertTrue(Files.exists(study.resolve("trials.csv")), read(log));
    }

    private void assertResumesToReference(Path study) throws IOException {
        TinyStudy.Result resumed = TinyStudy.tune("--resume", study.toString());
        assertEquals(0, resumed.exit(), resumed.err() + resumed.out());
        assertEquals(TinyStudy.trialsTable(reference), TinyStudy.trialsTable(study));
        try (StudyStore expected = StudyStore.openExisting(reference); StudyStore actual = StudyStore.openExisting(study)) {
            assertEquals(expected.decisions(), actual.decisions());
            assertEquals(expected.jobs(), actual.jobs(), "no job issued twice");
        }
        Map<String, byte[]> expected = finalWeights(reference);
        Map<String, byte[]> actual = finalWeights(study);
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((trial, bytes) -> assertArrayEquals(bytes, actual.get(trial), trial));
    }

    /** Each trial's weights where it ended: its model when it completed, else its newest checkpoint. */
    private static Map<String, byte[]> finalWeights(Path study) {
        Map<String, byte[]> weights = new LinkedHashMap<>();
        try (Stream<Path> trials = Files.list(study.resolve("trials"))) {
            for (Path trial : trials.sorted().toList()) {
                weights.put(trial.getFileName().toString(), Files.isDirectory(trial.resolve("model"))
                        ? TinyStudy.modelWeights(trial) : newestCheckpoint(trial));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return weights;
    }

    private static byte[] newestCheckpoint(Path trial) throws IOException {
        try (Stream<Path> checkpoints = Files.list(trial.resolve("checkpoints"))) {
            Path newest = checkpoints.filter(p -> p.getFileName().toString().startsWith("step-"))
                    .max(Comparator.naturalOrder()).orElseThrow();
            return Files.readAllBytes(newest.resolve("weights.ndlist"));
        }
    }

    private static Path completedTrial(Path study) throws IOException {
        String row = TinyStudy.trialsTable(study).stream().filter(line -> line.contains(",complete,")).findFirst()
                .orElseThrow();
        List<String> fields = Arrays.asList(row.split(","));
        return study.resolve(fields.stream().filter(f -> f.startsWith("trials/")).collect(Collectors.joining()));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
