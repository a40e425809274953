package dev.keel.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.SampleData;
import dev.keel.trainer.precision.PrecisionChoice;
import dev.keel.trainer.track.RunDirectory;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills real training JVMs with SIGKILL in the middle of an epoch, resumes them, and checks that
 * the final weights are bitwise identical to those of the same run left alone. A kill lands after a
 * given step, as soon as the test sees it; a busy machine may make it land some steps later, so
 * what a test expects of the resume follows from the checkpoints the kill left, not from the step.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    /** What differs between two runs of the same config on any machine: timings and memory. */
    private static final List<String> TIMING_FIELDS = List.of("samples_per_second", "epoch_seconds", "rss_mb",
            "seconds");

    private Path config;
    private byte[] uninterruptedWeights;
    private List<JsonNode> uninterruptedMetrics;

    @BeforeAll
    void trainUninterrupted() throws Exception {
        Path data = SampleData.copyTo(temp.resolve("data"));
        config = temp.resolve("resume.yaml");
        Files.writeString(config, """
                name: resume
                seed: 11
                device: cpu
                data: {path: %s, batch_size: 64}
                model: {arch: cnn, channels: [16, 32], hidden: [32], dropout: 0.25}
                optimizer: {name: adamw, lr: 0.003}
                train: {epochs: 2, log_every_steps: 7}
                checkpoint: {every_steps: 20, keep_last: 3}
                """.formatted(data));
        Path run = temp.resolve("uninterrupted");
        assertEquals(0, keel("train", config.toString(), "--run-dir", run.toString()).waitFor());
        uninterruptedWeights = finalWeights(run);
        uninterruptedMetrics = metricsWithoutTimings(run);
    }

    @Test
    void killedTwiceMidEpochAndResumedEndsBitwiseIdentical() throws Exception {
        Path run = temp.resolve("killed-twice");
        killAfterStep(keel("train", config.toString(), "--run-dir", run.toString()), run, 50);
        String newest = killAfterStep(keel("resume", run.toString()), run, 190);
        Process last = keel("resume", run.toString());
        assertEquals(0, last.waitFor(), output(last));
        assertTrue(output(last).contains("resuming from " + newest), newest + ": " + output(last));
        assertArrayEquals(uninterruptedWeights, finalWeights(run), "weights after two kills and resumes");
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("completed", summary.get("status").asText());
        // The training time is the run's: the killed processes' time up to the checkpoint resumed from
        // counts, and the last process records its own share in provenance.json.
        JsonNode lastResume = JSON.readTree(run.resolve("provenance.json").toFile()).get("resumes").get(1);
        double lastShare = lastResume.get("train_seconds").asDouble();
        assertTrue(lastShare > 0, lastResume.toString());
        assertTrue(summary.get("train_seconds").asDouble() > lastShare, "the sum over processes, not the last one's: "
                + summary + " " + lastResume);
        JsonNode resumes = JSON.readTree(run.resolve("provenance.json").toFile()).get("resumes");
        assertEquals(2, resumes.size());
        resumes.forEach(resume -> assertTrue(resume.hasNonNull("onednn_max_cpu_isa"), "each resume's oneDNN cap"));
        // Checkpoints (every 20 steps) fall inside windows of step lines (every 7 steps): the resumed
        // runs log the same lines all the same.
        assertEquals(uninterruptedMetrics, metricsWithoutTimings(run), "metrics.jsonl without timings");
        assertTrue(Files.exists(run.resolve(".lock")), "a killed holder leaves its lock file, but not its lock");
    }

    @Test
    void readingTheLossesEveryFourStepsChangesNothingAndStillResumesBitwiseIdentical() throws Exception {
        Path run = temp.resolve("sync-every-4");
        killAfterStep(keel("train", config.toString(), "--run-dir", run.toString(), "--set",
                "train.sync_every_steps=4"), run, 50);
        Process resumed = keel("resume", run.toString());
        waitForStep(resumed, run, 150);
        signal(resumed, "INT");
        assertEquals(130, resumed.waitFor(), output(resumed));
        long stoppedAt = JSON.readTree(run.resolve("summary.json").toFile()).get("steps").asLong();
        assertEquals(0, stoppedAt % 4, "stopped where the losses were read back, step " + stoppedAt);
        assertTrue(Files.isDirectory(run.resolve(String.format("checkpoints/step-%08d", stoppedAt))));

        Process last = keel("resume", run.toString());
        assertEquals(0, last.waitFor(), output(last));
        assertArrayEquals(uninterruptedWeights, finalWeights(run), "weights of the run reading every step's loss");
        assertEquals(uninterruptedMetrics, metricsWithoutTimings(run), "metrics.jsonl without timings");
    }

    @Test
    void interruptedBySigintAndSigtermCheckpointsAndResumesBitwiseIdentical() throws Exception {
        Path run = temp.resolve("interrupted");
        Process train = keel("train", config.toString(), "--run-dir", run.toString());
        waitForStep(train, run, 50);
        // Paused while a second process starts and finds the folder held: however long that JVM
        // takes to start, the run is still mid-epoch for the SIGINT.
        signal(train, "STOP");
        Process second = keel("resume", run.toString());
        assertEquals(2, second.waitFor(), output(second));
        signal(train, "CONT");
        assertTrue(output(second).contains(run + ": in use by another Keel process (pid " + train.pid()
                + ", keel train "), output(second));
        signal(train, "INT");
        assertEquals(130, train.waitFor(), output(train));
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("interrupted", summary.get("status").asText());
        long stoppedAt = summary.get("steps").asLong();
        assertTrue(Files.isDirectory(run.resolve(String.format("checkpoints/step-%08d", stoppedAt))),
                "a checkpoint where the run stood, step " + stoppedAt);
        assertTrue(output(train).contains("interrupted by SIGINT after " + stoppedAt + " of 280 steps; checkpoint step-"
                + String.format("%08d", stoppedAt) + " written. Continue with: ./keel resume " + run), output(train));

        Process resumed = keel("resume", run.toString());
        waitForStep(resumed, run, 190);
        resumed.destroy(); // SIGTERM, as a scheduler sends it
        assertEquals(143, resumed.waitFor(), output(resumed));
        assertTrue(output(resumed).contains("resuming from step-" + String.format("%08d", stoppedAt)), output(resumed));
        assertEquals("interrupted", JSON.readTree(run.resolve("summary.json").toFile()).get("status").asText());

        Process last = keel("resume", run.toString());
        assertEquals(0, last.waitFor(), output(last));
        assertArrayEquals(uninterruptedWeights, finalWeights(run), "weights after SIGINT, SIGTERM and two resumes");
        assertEquals(uninterruptedMetrics, metricsWithoutTimings(run), "metrics.jsonl without timings");
        assertEquals("completed", JSON.readTree(run.resolve("summary.json").toFile()).get("status").asText());
    }

    @Test
    void augmentedImageFolderRunResumesBitwiseIdentical() throws Exception {
        Path images = SampleData.imageFolder(temp.resolve("image-folder"), 60);
        Path folderConfig = Files.writeString(temp.resolve("folder.yaml"), """
                name: folder
                seed: 5
                device: cpu
                data: {format: image-folder, path: %s, batch_size: 32,
                       augment: {flip: 0.5, crop_scale: 0.7, rotate: 10, brightness: 0.1, contrast: 0.1}}
                model: {arch: cnn, channels: [8, 16], hidden: [16], dropout: 0.25}
                optimizer: {lr: 0.003}
                train: {epochs: 3, log_every_steps: 4}
                checkpoint: {every_steps: 10}
                """.formatted(images));
        Path alone = temp.resolve("folder-uninterrupted");
        Process uninterrupted = keel("train", folderConfig.toString(), "--run-dir", alone.toString());
        assertEquals(0, uninterrupted.waitFor(), output(uninterrupted));
        Path run = temp.resolve("folder-killed");
        killAfterStep(keel("train", folderConfig.toString(), "--run-dir", run.toString()), run, 24);
        Process resumed = keel("resume", run.toString());
        assertEquals(0, resumed.waitFor(), output(resumed));
        assertArrayEquals(Files.readAllBytes(alone.resolve("model/model-0003.params")),
                Files.readAllBytes(run.resolve("model/model-0003.params")), "weights of the resumed augmented run");
        assertEquals(metricsWithoutTimings(alone), metricsWithoutTimings(run), "metrics.jsonl without timings");
    }

    @Test
    void fineTuningKilledInEachPhaseResumesBitwiseIdentical() throws Exception {
        Path pretrained = Path.of("src/test/resources/dev/keel/trainer/transfer/fmnist5-features.pt").toAbsolutePath();
        Path fineTune = Files.writeString(temp.resolve("finetune.yaml"), """
                name: finetune
                seed: 9
                device: cpu
                data: {path: %s, batch_size: 64, normalize: [0.29, 0.35]}
                model: {pretrained: %s}
                optimizer: {lr: 0.01}
                finetune: {freeze_epochs: 1}
                train: {epochs: 1, log_every_steps: 7}
                checkpoint: {every_steps: 20}
                """.formatted(temp.resolve("data"), pretrained));
        Path alone = temp.resolve("finetune-uninterrupted");
        Process uninterrupted = keel("train", fineTune.toString(), "--run-dir", alone.toString());
        assertEquals(0, uninterrupted.waitFor(), output(uninterrupted));
        Path run = temp.resolve("finetune-killed");
        killAfterStep(keel("train", fineTune.toString(), "--run-dir", run.toString()), run, 50); // body frozen
        killAfterStep(keel("resume", run.toString()), run, 190); // everything training
        Process resumed = keel("resume", run.toString());
        assertEquals(0, resumed.waitFor(), output(resumed));
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/step-00000280/module.pt")),
                "checkpoints keep the TorchScript module, batch-norm statistics and all");
        assertArrayEquals(finalWeights(alone), finalWeights(run), "weights after kills in both phases");
        assertEquals(metricsWithoutTimings(alone), metricsWithoutTimings(run), "metrics.jsonl without timings");
    }

    /**
     * Mixed precision, forced onto the CPU on a small network: the loss scale starts at 2^30, so the
     * first steps overflow and halve it long before the kill; a resume that did not restore the
     * scale would skip steps again and end elsewhere.
     */
    @Test
    void anFp16RunKilledMidEpochResumesBitwiseIdentical() throws Exception {
        Path fp16 = Files.writeString(temp.resolve("fp16.yaml"), """
                name: fp16
                seed: 13
                device: cpu
                data: {path: %s, batch_size: 64}
                model: {arch: cnn, channels: [8, 16], hidden: [32], dropout: 0.25}
                optimizer: {name: adamw, lr: 0.003}
                train: {epochs: 1, log_every_steps: 7, precision: fp16, loss_scale: 1073741824}
                checkpoint: {every_steps: 20}
                """.formatted(temp.resolve("data")));
        Map<String, String> cpu = Map.of(PrecisionChoice.CPU_VARIABLE, "1");
        Path alone = temp.resolve("fp16-uninterrupted");
        Process uninterrupted = keel(cpu, "train", fp16.toString(), "--run-dir", alone.toString());
        assertEquals(0, uninterrupted.waitFor(), output(uninterrupted));
        assertTrue(output(uninterrupted).contains("precision: fp16 · float16 forward and backward"), output(uninterrupted));
        List<JsonNode> overflows = metricsWithoutTimings(alone).stream()
                .filter(line -> line.path("kind").asText().equals("overflow")).toList();
        assertTrue(!overflows.isEmpty() && overflows.get(0).get("step").asLong() == 1, "step 1 overflows at 2^30: "
                + overflows);

        Path run = temp.resolve("fp16-killed");
        killAfterStep(keel(cpu, "train", fp16.toString(), "--run-dir", run.toString()), run, 60);
        Process resumed = keel(cpu, "resume", run.toString());
        assertEquals(0, resumed.waitFor(), output(resumed));
        assertArrayEquals(Files.readAllBytes(alone.resolve("model/model-0001.params")),
                Files.readAllBytes(run.resolve("model/model-0001.params")), "weights of the resumed fp16 run");
        assertEquals(metricsWithoutTimings(alone), metricsWithoutTimings(run), "metrics.jsonl without timings");
    }

    @Test
    void resumingAFinishedRunChangesNothing() throws Exception {
        Path run = temp.resolve("uninterrupted");
        byte[] summary = Files.readAllBytes(run.resolve("summary.json"));
        Process resumed = keel("resume", run.toString());
        assertEquals(0, resumed.waitFor(), output(resumed));
        assertTrue(output(resumed).contains(run + ": the run has already completed (summary.json); nothing to resume"),
                output(resumed));
        assertArrayEquals(summary, Files.readAllBytes(run.resolve("summary.json")));
        assertArrayEquals(uninterruptedWeights, finalWeights(run));
    }

    /**
     * A 16 MB file system (tmpfs) that fills up mid-run: exit 3 with one message, no temporary files,
     * and once space is freed, resume finishes the run as if nothing had happened. Then a file system
     * full before the run starts: exit 3, and no folder left behind.
     */
    @Test
    void aDiskThatFillsMidRunLosesNothing() throws Exception {
        Path disk = temp.resolve("small-disk");
        Files.createDirectories(disk);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", disk.toString())
                .redirectErrorStream(true).start();
        assumeTrue(mount.waitFor() == 0, "mounting a tmpfs needs root: " + new String(mount.getInputStream().readAllBytes()));
        try {
            Path ballast = disk.resolve("ballast");
            // About four checkpoints of this model fit in what is left: the run fills the disk after step 40.
            fill(ballast, Files.getFileStore(disk).getUsableSpace() - 2_200_000);
            Path run = disk.resolve("run");
            Process train = keel("train", config.toString(), "--run-dir", run.toString());
            assertEquals(3, train.waitFor(), output(train));
            String out = output(train);
            assertTrue(out.contains("keel: training failed: cannot write " + run) && out.contains(
                    ": the disk is full (No space left on device)"), out);
            assertTrue(out.contains("the last good checkpoint is step-000000")
                    && out.contains("once space is freed, continue with: ./keel resume " + run), out);
            assertFalse(out.contains("\tat ") || out.contains("Exception"), "no stack trace: " + out);
            try (var files = Files.walk(run)) {
                assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(),
                        "no temporary files");
            }
            Files.delete(ballast);
            Process resumed = keel("resume", run.toString());
            assertEquals(0, resumed.waitFor(), output(resumed));
            assertArrayEquals(uninterruptedWeights, finalWeights(run), "weights after a full disk and a resume");
            assertEquals(uninterruptedMetrics, metricsWithoutTimings(run), "metrics.jsonl without timings");

            RunDirectory.deleteRecursively(run);
            fill(ballast, Files.getFileStore(disk).getUsableSpace());
            Path never = disk.resolve("never");
            Process full = keel("train", config.toString(), "--run-dir", never.toString());
            assertEquals(3, full.waitFor(), output(full));
            assertTrue(output(full).contains("the disk is full") && output(full).contains("nothing of the run was kept"),
                    output(full));
            assertFalse(Files.exists(never), "no half-made run directory that train would refuse to reuse");
        } finally {
            new ProcessBuilder("umount", "-l", disk.toString()).start().waitFor();
        }
    }

    @Test
    void corruptNewestCheckpointFallsBackToThePreviousOne() throws Exception {
        Path run = temp.resolve("corrupt");
        killAfterStep(keel("train", config.toString(), "--run-dir", run.toString()), run, 70);
        List<String> left = checkpoints(run);
        assertTrue(left.size() >= 2, "checkpoints every 20 steps: " + left);
        String newest = left.get(left.size() - 1);
        String previous = left.get(left.size() - 2);
        try (RandomAccessFile file = new RandomAccessFile(run.resolve("checkpoints").resolve(newest)
                .resolve("weights.ndlist").toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int value = file.read();
            file.seek(middle);
            file.write(value ^ 0x01);
        }
        Process resumed = keel("resume", run.toString());
        assertEquals(0, resumed.waitFor(), output(resumed));
        String out = output(resumed);
        assertTrue(out.contains("skipping checkpoint") && out.contains(newest)
                && out.contains("SHA-256"), newest + ": " + out);
        assertTrue(out.contains("resuming from " + previous), previous + ": " + out);
        assertArrayEquals(uninterruptedWeights, finalWeights(run), "weights after falling back one checkpoint");
    }

    @Test
    void autoRateRunResumesWithTheRecordedRateAndEndsBitwiseIdentical() throws Exception {
        Path autoConfig = temp.resolve("auto.yaml");
        Files.writeString(autoConfig, Files.readString(config)
                .replace("name: resume", "name: auto")
                .replace("lr: 0.003}", "lr: auto}\nlr_find: {steps: 30, suggestion: minimum_div_10}"));
        Path alone = temp.resolve("auto-uninterrupted");
        Process uninterrupted = keel("train", autoConfig.toString(), "--run-dir", alone.toString());
        assertEquals(0, uninterrupted.waitFor(), output(uninterrupted));
        Path run = temp.resolve("auto-killed");
        killAfterStep(keel("train", autoConfig.toString(), "--run-dir", run.toString()), run, 50);

        Process resumed = keel("resume", run.toString());

        assertEquals(0, resumed.waitFor(), output(resumed));
        String out = output(resumed);
        double recorded = JSON.readTree(run.resolve("lr_find.json").toFile()).get("suggestion").asDouble();
        assertTrue(out.contains(String.format(java.util.Locale.ROOT, "lr: auto, %.3g as lr_find.json recorded",
                recorded)), out);
        assertFalse(out.contains("sweeping"), "no second sweep on resume: " + out);
        assertArrayEquals(finalWeights(alone), finalWeights(run), "weights of the resumed auto-rate run");

        Path swept = temp.resolve("auto-killed-in-sweep");
        Process sweeping = keel("train", autoConfig.toString(), "--run-dir", swept.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!output(sweeping).contains("sweeping")) {
            assertTrue(sweeping.isAlive() && System.nanoTime() < deadline, "no sweep: " + output(sweeping));
            Thread.sleep(1);
        }
        sweeping.destroyForcibly();
        sweeping.waitFor();
        assertFalse(Files.exists(swept.resolve("lr_find.json")), "killed during the sweep: " + output(sweeping));
        Process over = keel("resume", swept.toString());
        assertEquals(0, over.waitFor(), output(over));
        assertTrue(output(over).contains("no checkpoint to resume from: the run stopped before its first one; starting"
                + " it over"), output(over));
        assertArrayEquals(finalWeights(alone), finalWeights(swept), "weights of the run started over");
        assertEquals(metricsWithoutTimings(alone), metricsWithoutTimings(swept), "metrics of the run started over");
    }

    /**
     * Kills the run with SIGKILL (no shutdown hooks, no finally blocks) once it has logged
     * {@code step}, and returns its newest checkpoint on disk: the one a resume continues from.
     */
    private static String killAfterStep(Process process, Path run, long step) throws Exception {
        waitForStep(process, run, step);
        process.destroyForcibly();
        process.waitFor();
        assertFalse(Files.exists(run.resolve("summary.json")), "killed before the run finished");
        List<String> checkpoints = checkpoints(run);
        assertFalse(checkpoints.isEmpty(), "a checkpoint before the kill");
        return checkpoints.get(checkpoints.size() - 1);
    }

    /** The run's checkpoints on disk, oldest first (their names sort by step); not those being written. */
    private static List<String> checkpoints(Path run) throws IOException {
        try (var folders = Files.list(run.resolve("checkpoints"))) {
            return folders.map(folder -> folder.getFileName().toString()).filter(name -> name.matches("step-\\d{8}"))
                    .sorted().toList();
        }
    }

    private static void waitForStep(Process process, Path run, long step) throws Exception {
        Path metrics = run.resolve("metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lastStep(metrics) < step) {
            assertTrue(process.isAlive(), "the run ended before step " + step + ": " + output(process));
            assertTrue(System.nanoTime() < deadline, "no step " + step + " within 120 s");
            Thread.sleep(2);
        }
    }

    private static void signal(Process process, String name) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start().waitFor());
    }

    private static void fill(Path file, long bytes) throws IOException {
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        } catch (IOException e) {
            // The disk is full: as intended.
        }
    }

    private static List<JsonNode> metricsWithoutTimings(Path run) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            com.fasterxml.jackson.databind.node.ObjectNode json =
                    (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(line);
            json.remove(TIMING_FIELDS);
            lines.add(json);
        }
        return lines;
    }

    private static long lastStep(Path metrics) throws IOException {
        if (!Files.exists(metrics)) {
            return -1;
        }
        long step = -1;
        for (String line : Files.readAllLines(metrics)) {
            try {
                step = Math.max(step, JSON.readTree(line).path("step").asLong(-1));
            } catch (IOException e) {
                // a line being written
            }
        }
        return step;
    }

    private static byte[] finalWeights(Path run) throws IOException {
        return Files.readAllBytes(run.resolve("model/model-0002.params"));
    }

    private static Process keel(String... args) throws IOException {
        return keel(Map.of(), args);
    }

    private static Process keel(Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.keel.trainer.cli.KeelCli"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(temp, "keel-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        LOGS.put(process, log);
        return process;
    }

    private static final java.util.Map<Process, Path> LOGS = new java.util.concurrent.ConcurrentHashMap<>();

    private static String output(Process process) {
        try {
            return Files.readString(LOGS.get(process));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
