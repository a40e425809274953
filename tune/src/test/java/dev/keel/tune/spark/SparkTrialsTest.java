package dev.keel.tune.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.tune.TinyStudy;
import dev.keel.tune.TinyTable;
import dev.keel.tune.trial.TrialJob;
import dev.keel.tune.trial.TrialMain;
import dev.keel.tune.trial.TrialProcess;
import dev.keel.tune.trial.TrialReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trials on a real Spark standalone cluster (a master and a worker, each its own JVM, the worker
 * starting executors, each executor training its trials in child JVMs) report what the same jobs
 * report through {@code local[2]}; a trial whose worker is killed under it is started again on
 * another worker and ends with the weights of an uninterrupted run, and one whose executor is killed
 * twice fails with Spark's reason.
 */
class SparkTrialsTest {
    private static final Duration WORKER_WAIT = Duration.ofSeconds(60);

    @Test
    void trialsOnAStandaloneClusterReportWhatLocalTrialsReport(@TempDir Path dir) throws Exception {
        Path table = TinyTable.write(dir.resolve("table.csv"), 200, 7);
        Path config = TinyTable.config(dir.resolve("table.yaml"), table, 3);

        long start = System.nanoTime();
        Map<String, TrialReport> onCluster;
        try (StandaloneCluster spark = StandaloneCluster.start(dir.resolve("cluster"))) {
            spark.startWorker(2, "2g");
            spark.awaitAliveWorkers(1, WORKER_WAIT);
            try (SparkTrials trials = new SparkTrials(spark.url(), clusterOptions())) {
                assertEquals(2, trials.slots(), "a worker of 2 cores, a core per trial");
                assertEquals(1, trials.threadsPerTrial());
                assertEquals("Spark " + spark.url() + ", 2 trials at a time, 1 thread each", trials.describe());
                onCluster = runJobs(trials, config, dir.resolve("cluster-runs"));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + spark.logs(), e);
            }
            try (Stream<Path> apps = Files.list(spark.workDir(1))) {
                assertTrue(apps.anyMatch(app -> app.getFileName().toString().startsWith("app-")),
                        "the worker started an executor for the application");
            }
        }
        double clusterSeconds = seconds(start);

        start = System.nanoTime();
        Map<String, TrialReport> local;
        try (SparkTrials trials = new SparkTrials("local[2]")) {
            assertEquals(2, trials.slots());
            assertEquals(1, trials.threadsPerTrial(), "this machine's 2 cores split between 2 trials");
            local = runJobs(trials, config, dir.resolve("local-runs"));
        }
        System.out.printf("SparkTrialsTest: 4 jobs on a standalone cluster %.1f s (master and worker started),"
                + " through local[2] %.1f s%n", clusterSeconds, seconds(start));

        for (Map<String, TrialReport> reports : List.of(onCluster, local)) {
            TrialReport straight = reports.get("straight");
            assertEquals("completed", straight.status(), straight.toString());
            assertEquals(List.of(1, 2, 3), straight.epochs().stream().map(TrialReport.EpochMetrics::epoch).toList());
            assertNotNull(straight.testAccuracy());
            assertNull(straight.reason());
            assertEquals(1, straight.attempts());
            TrialReport paused = reports.get("paused");
            assertEquals("interrupted", paused.status(), paused.toString());
            assertEquals(1, paused.lastEpoch());
            TrialReport continued = reports.get("continued");
            assertEquals("completed", continued.status(), continued.toString());
            assertEquals(straight.epochs(), continued.epochs(), "paused after epoch 1 and continued: the same run");
            assertEquals(straight.testAccuracy(), continued.testAccuracy());
            assertEquals("completed", reports.get("other").status());
            assertNotEquals(straight.epochs(), reports.get("other").epochs(), "another learning rate, another run");
        }
        for (String name : onCluster.keySet()) {
            assertSameOutcome(local.get(name), onCluster.get(name));
        }
        assertArrayEquals(TinyStudy.modelWeights(dir.resolve("cluster-runs/straight")),
                TinyStudy.modelWeights(dir.resolve("cluster-runs/paused")),
                "one job to the end, or paused after epoch 1 and continued: the same weights");
        assertArrayEquals(TinyStudy.modelWeights(dir.resolve("local-runs/straight")),
                TinyStudy.modelWeights(dir.resolve("cluster-runs/straight")));
        assertArrayEquals(TinyStudy.modelWeights(dir.resolve("local-runs/other")),
                TinyStudy.modelWeights(dir.resolve("cluster-runs/other")));
    }

    @Test
    void aTrialLostWithItsWorkerStartsAgainOnAnotherAndEndsTheSame(@TempDir Path dir) throws Exception {
        int epochs = 6;
        Path table = TinyTable.write(dir.resolve("table.csv"), 6000, 11);
        Path config = TinyTable.config(dir.resolve("table.yaml"), table, epochs);
        TrialJob lostJob = job(1, 1, dir.resolve("lost"), config, "optimizer.lr=0.01", epochs, 1, dir);
        TrialJob referenceJob = job(2, 2, dir.resolve("reference"), config, "optimizer.lr=0.01", epochs, 1, dir);

        long start = System.nanoTime();
        try (StandaloneCluster spark = StandaloneCluster.start(dir.resolve("cluster"))) {
            Process first = spark.startWorker(2, "2g");
            spark.awaitAliveWorkers(1, WORKER_WAIT);
            try (SparkTrials trials = new SparkTrials(spark.url(), clusterOptions())) {
                CompletableFuture<TrialReport> lost = trials.submit(lostJob);
                CompletableFuture<TrialReport> reference = CompletableFuture.supplyAsync(
                        () -> TrialProcess.run(referenceJob, 1));
                double submitted = seconds(start);
                awaitCheckpoint(Path.of(lostJob.runDir()), Duration.ofSeconds(120), lost);
                long killed = System.nanoTime();
                System.out.printf("SparkTrialsTest: cluster up and job submitted after %.1f s, checkpoint after %.1f s%n",
                        submitted, seconds(start));
                spark.kill(first);
                Process second = spark.startWorker(2, "2g");
                TrialReport report = lost.get(240, TimeUnit.SECONDS);
                double afterKill = seconds(killed);
                TrialReport uninterrupted = reference.get(120, TimeUnit.SECONDS);
                System.out.printf("SparkTrialsTest: worker killed under a trial; the trial ended %.1f s later, %.1f s"
                        + " in all%n", afterKill, seconds(start));

                assertEquals("completed", uninterrupted.status(), uninterrupted.toString());
                assertFalse(report.failed(), report + spark.logs());
                assertEquals(2, report.attempts(), "started again once, after its worker was lost");
                assertEquals("completed", report.status());
                assertEquals(uninterrupted.epochs(), report.epochs());
                assertEquals(uninterrupted.testAccuracy(), report.testAccuracy());
                assertArrayEquals(TinyStudy.modelWeights(Path.of(referenceJob.runDir())),
                        TinyStudy.modelWeights(Path.of(lostJob.runDir())),
                        "continued from its checkpoint on the second worker: the weights of an uninterrupted run");
                try (Stream<Path> apps = Files.list(spark.workDir(2))) {
                    assertTrue(apps.findAny().isPresent(), "the second worker ran the trial's second attempt");
                }

                // Its executor killed twice (the worker stays): the job fails for good, and says why. Spark
                // counts a task lost with its executor against the task, not one lost with its worker.
                long doomedStart = System.nanoTime();
                Path longConfig = TinyTable.config(dir.resolve("long.yaml"), table, 50);
                TrialJob doomedJob = job(3, 3, dir.resolve("doomed"), longConfig, "optimizer.lr=0.05", 50, 1, dir);
                CompletableFuture<TrialReport> doomed = trials.submit(doomedJob);
                for (int kill = 0; kill < 2; kill++) {
                    ProcessHandle trial = awaitTrialProcess(second.toHandle(), Duration.ofSeconds(60), doomed);
                    StandaloneCluster.killTree(trial.parent().orElseThrow());
                }
                TrialReport failed = doomed.get(60, TimeUnit.SECONDS);
                System.out.printf("SparkTrialsTest: a trial whose executor was killed twice failed for good in %.1f s:"
                        + " %s%n", seconds(doomedStart), failed.reason());
                assertTrue(failed.failed(), failed.toString());
                assertEquals(2, failed.attempts());
                assertTrue(failed.reason().startsWith("Spark: ") && failed.reason().contains("failed 2 times"),
                        failed.reason());
                assertEquals(List.of(), failed.epochs());
                assertFalse(failed.reason().contains("Driver stacktrace"), failed.reason());
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + spark.logs(), e);
            }
        }
    }

    @Test
    void closingStopsTheTrialsStillTrainingAndReportsThemFailed(@TempDir Path dir) throws Exception {
        Path table = TinyTable.write(dir.resolve("table.csv"), 6000, 11);
        Path config = TinyTable.config(dir.resolve("table.yaml"), table, 50);
        TrialJob job = job(1, 1, dir.resolve("stopped"), config, "optimizer.lr=0.01", 50, 1, dir);
        CompletableFuture<TrialReport> report;
        try (SparkTrials trials = new SparkTrials("local[1]")) {
            report = trials.submit(job);
            ProcessHandle trial = awaitTrialProcess(ProcessHandle.current(), Duration.ofSeconds(60), report);
            awaitCheckpoint(Path.of(job.runDir()), Duration.ofSeconds(60), report);
            trials.close();
            TrialReport stopped = report.get(30, TimeUnit.SECONDS);
            assertTrue(stopped.failed(), stopped.toString());
            assertTrue(stopped.reason().startsWith("stopped with the study's Spark application"), stopped.reason());
            trial.onExit().get(30, TimeUnit.SECONDS);
            assertFalse(trial.isAlive(), "the trial's process ended with its job");
        }
    }

    private static SparkTrials.Options clusterOptions() {
        return SparkTrials.Options.defaults()
                .withConf("spark.driver.host", "127.0.0.1")
                .withConf("spark.driver.bindAddress", "127.0.0.1");
    }

    /**
     * The same four jobs wherever they run: one trial to the end, one paused after epoch 1 then
     * continued to the end in a second job, and one with another learning rate.
     */
    private static Map<String, TrialReport> runJobs(SparkTrials trials, Path config, Path root) throws Exception {
        int threads = trials.threadsPerTrial();
        CompletableFuture<TrialReport> straight = trials.submit(
                job(1, 1, root.resolve("straight"), config, "optimizer.lr=0.01", 3, threads, root));
        CompletableFuture<TrialReport> paused = trials.submit(
                job(2, 2, root.resolve("paused"), config, "optimizer.lr=0.01", 1, threads, root));
        CompletableFuture<TrialReport> other = trials.submit(
                job(3, 3, root.resolve("other"), config, "optimizer.lr=0.05", 3, threads, root));
        Map<String, TrialReport> reports = new LinkedHashMap<>();
        reports.put("paused", paused.get(180, TimeUnit.SECONDS));
        reports.put("continued", trials.submit(job(4, 2, root.resolve("paused"), config, "optimizer.lr=0.01", 3,
                threads, root)).get(180, TimeUnit.SECONDS));
        reports.put("straight", straight.get(180, TimeUnit.SECONDS));
        reports.put("other", other.get(180, TimeUnit.SECONDS));
        return reports;
    }

    private static TrialJob job(long seq, int trial, Path runDir, Path config, String override, int pauseAfterEpoch,
            int threads, Path root) {
        return new TrialJob(seq, trial, runDir.toAbsolutePath().toString(), config.toAbsolutePath().toString(),
                List.of(override), pauseAfterEpoch, threads,
                root.resolve("logs").resolve("trial-" + trial + ".log").toAbsolutePath().toString());
    }

    private static void assertSameOutcome(TrialReport expected, TrialReport actual) {
        assertEquals(expected.seq(), actual.seq());
        assertEquals(expected.trial(), actual.trial());
        assertEquals(expected.status(), actual.status());
        assertEquals(expected.epochs(), actual.epochs(), "the same metrics, to the last bit");
        assertEquals(expected.testAccuracy(), actual.testAccuracy());
        assertEquals(expected.reason(), actual.reason());
        assertEquals(expected.attempts(), actual.attempts());
    }

    /** Waits until the run has a checkpoint after its first step (not only the one at its start). */
    private static void awaitCheckpoint(Path runDir, Duration timeout, CompletableFuture<?> job) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path checkpoints = runDir.resolve("checkpoints");
        while (System.nanoTime() < deadline) {
            assertFalse(job.isDone(), () -> "the trial ended before it could be interrupted: " + job.join());
            if (Files.isDirectory(checkpoints)) {
                try (Stream<Path> steps = Files.list(checkpoints)) {
                    if (steps.map(p -> p.getFileName().toString())
                            .anyMatch(name -> name.matches("step-\\d+") && !name.matches("step-0+"))) {
                        return;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no checkpoint in " + runDir + " within " + timeout.toSeconds() + " s");
    }

    /** Waits until a trial's process runs under {@code ancestor} (a worker, an executor, this JVM), and returns it. */
    private static ProcessHandle awaitTrialProcess(ProcessHandle ancestor, Duration timeout, CompletableFuture<?> job)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertFalse(job.isDone(), () -> "the trial ended before it could be interrupted: " + job.join());
            var trial = ancestor.descendants().filter(SparkTrialsTest::isTrialProcess).findFirst();
            if (trial.isPresent()) {
                return trial.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no trial started under " + ancestor.pid() + " within " + timeout.toSeconds() + " s");
    }

    /** Whether {@code process} runs {@link TrialMain}: its full command line, which ProcessHandle may cut short. */
    private static boolean isTrialProcess(ProcessHandle process) {
        try {
            byte[] line = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
            return new String(line, StandardCharsets.UTF_8).contains(TrialMain.class.getName());
        } catch (IOException e) {
            return false; // it ended
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
