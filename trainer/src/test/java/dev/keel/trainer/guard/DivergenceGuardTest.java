package dev.keel.trainer.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.SampleData;
import dev.keel.trainer.cli.KeelCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A learning rate of 10 makes training explode; the guard rolls back, cuts the rate, and stops cleanly. */
class DivergenceGuardTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    /** With the losses read back every 5 steps, the guard sees them after their updates and still rolls back. */
    @ParameterizedTest(name = "train.sync_every_steps={0}")
    @ValueSource(ints = {1, 5})
    void learningRateTenRollsBackThenStopsWithExitCodeThree(int syncEverySteps) throws Exception {
        Path data = SampleData.copyTo(temp.resolve("data"));
        Path config = Files.writeString(temp.resolve("lr10.yaml"), """
                name: lr10
                device: cpu
                data: {path: %s}
                model: {arch: cnn, channels: [16, 32], hidden: [32]}
                optimizer: {name: adamw, lr: 10}
                train: {epochs: 1, log_every_steps: 10, sync_every_steps: %d}
                checkpoint: {every_steps: 10}
                guard: {max_rollbacks: 2, lr_cut: 0.5}
                """.formatted(data, syncEverySteps));
        Path run = temp.resolve("run");
        CommandLine cli = KeelCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute("train", config.toString(), "--run-dir", run.toString());

        assertEquals(KeelCli.EXIT_TRAINING_FAILED, exit, err.toString());
        assertTrue(err.toString().startsWith("keel: training failed: diverged"), err.toString());
        JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
        assertEquals("failed", summary.get("status").asText());
        assertTrue(summary.get("reason").asText().contains("after 2 rollback(s)"), summary.toString());

        List<JsonNode> events = Files.readAllLines(run.resolve("metrics.jsonl")).stream().map(DivergenceGuardTest::parse)
                .filter(line -> List.of("rollback", "diverged").contains(line.get("kind").asText())).toList();
        assertEquals(List.of("rollback", "rollback", "diverged"), events.stream().map(e -> e.get("kind").asText()).toList());
        assertEquals(0.5, events.get(0).get("lr_scale").asDouble(), 1e-12);
        assertEquals(0.25, events.get(1).get("lr_scale").asDouble(), 1e-12);
        assertTrue(Files.notExists(run.resolve("model")), "a failed run saves no final model");
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }
}
