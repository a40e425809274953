package dev.keel.trainer.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.SampleData;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills real training JVMs with SIGKILL in the middle of an epoch, resumes them, and checks that
 * the final weights are bitwise identical to those of the same run left alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExactResumeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    private Path config;
    private byte[] uninterruptedWeights;

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
                train: {epochs: 2, log_every_steps: 5}
                checkpoint: {every_steps: 20, keep_last: 3}
                """.formatted(data));
        Path run = temp.resolve("uninterrupted");
        assertEquals(0, keel("train", config.toString(), "--run-dir", run.toString()).waitFor());
        uninterruptedWeights = finalWeights(run);
    }

    @Test
    void killedTwiceMidEpochAndResumedEndsBitwiseIdentical() throws Exception {
        Path run = temp.resolve("killed-twice");
        killAfterStep(keel("train", config.toString(), "--run-dir", run.toString()), run, 50);
        killAfterStep(keel("resume", run.toString()), run, 190);
        Process last = keel("resume", run.toString());
        assertEquals(0, last.waitFor(), output(last));
        assertTrue(output(last).contains("resuming from step-00000180"), output(last));
        assertArrayEquals(uninterruptedWeights, finalWeights(run), "weights after two kills and resumes");
        assertEquals("completed", JSON.readTree(run.resolve("summary.json").toFile()).get("status").asText());
    }

    @Test
    void corruptNewestCheckpointFallsBackToThePreviousOne() throws Exception {
        Path run = temp.resolve("corrupt");
        killAfterStep(keel("train", config.toString(), "--run-dir", run.toString()), run, 70);
        Path newest = run.resolve("checkpoints/step-00000060/weights.ndlist");
        assertTrue(Files.exists(newest), "a checkpoint at step 60 exists");
        try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "rw")) {
            long middle = file.length() / 2;
            file.seek(middle);
            int value = file.read();
            file.seek(middle);
            file.write(value ^ 0x01);
        }
        Process resumed = keel("resume", run.toString());
        assertEquals(0, resumed.waitFor(), output(resumed));
        String out = output(resumed);
        assertTrue(out.contains("skipping checkpoint") && out.contains("step-00000060")
                && out.contains("SHA-256"), out);
        assertTrue(out.contains("resuming from step-00000040"), out);
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
    }

    private static void killAfterStep(Process process, Path run, long step) throws Exception {
        Path metrics = run.resolve("metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lastStep(metrics) < step) {
            assertTrue(process.isAlive(), "the run ended before step " + step + ": " + output(process));
            assertTrue(System.nanoTime() < deadline, "no step " + step + " within 120 s");
            Thread.sleep(2);
        }
        process.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
        process.waitFor();
        assertFalse(Files.exists(run.resolve("summary.json")), "killed before the run finished");
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
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.keel.trainer.cli.KeelCli"));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(temp, "keel-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
