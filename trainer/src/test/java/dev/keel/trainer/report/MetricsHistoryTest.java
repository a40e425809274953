package dev.keel.trainer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.trainer.fit.GroupRate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading metrics.jsonl for charts. */
class MetricsHistoryTest {
    @TempDir
    Path temp;

    @Test
    void stepsEpochsAndTestAreReadAndOtherKindsLeftOut() throws IOException {
        MetricsHistory history = MetricsHistory.of(FakeRun.metricsLines());

        assertEquals(FakeRun.EPOCHS * FakeRun.STEPS_PER_EPOCH / FakeRun.LOG_EVERY, history.steps().size());
        MetricsHistory.Step first = history.steps().get(0);
        assertEquals(10, first.step());
        assertEquals(2.0 / 1.5, first.loss(), 1e-12);
        assertEquals(0.002, first.lr(), 1e-12);
        assertEquals(0.94, first.momentum(), 1e-12);
        assertTrue(first.groups().isEmpty());
        assertEquals(List.of(1, 2, 3), history.epochs().stream().map(MetricsHistory.Epoch::epoch).toList());
        assertEquals(0.85, history.epochs().get(2).validAccuracy(), 1e-12);
        assertEquals(120, history.epochs().get(2).step());
        assertEquals(0.8712, history.test().accuracy(), 0);
        assertEquals(3, history.test().epoch());
    }

    @Test
    void aLineCutShortAndBlankLinesAreSkipped() throws IOException {
        Path file = temp.resolve("metrics.jsonl");
        Files.writeString(file, "{\"kind\":\"step\",\"epoch\":1,\"step\":10,\"lr\":0.1,\"loss\":2.0}\n\n"
                + "[1, 2]\n{\"kind\":\"epoch\",\"epoch\":1,\"step\":20,\"train_loss\":1.5}\n"
                + "{\"kind\":\"step\",\"epoch\":2,\"step\":30,\"lr\":0.0");

        MetricsHistory history = MetricsHistory.read(file);

        assertEquals(1, history.steps().size());
        assertTrue(Double.isNaN(history.steps().get(0).momentum()), "a missing number is NaN");
        assertEquals(1, history.epochs().size());
        assertTrue(Double.isNaN(history.epochs().get(0).validAccuracy()), "no validation split");
        assertNull(history.test());
    }

    @Test
    void aStepLoggedAgainAfterARollbackReplacesTheFirst() throws IOException {
        Path file = temp.resolve("metrics.jsonl");
        Files.writeString(file, """
                {"kind":"step","epoch":1,"step":10,"lr":0.1,"loss":2.0}
                {"kind":"step","epoch":1,"step":20,"lr":0.1,"loss":9.0}
                {"kind":"rollback","epoch":1,"step":20,"to_step":10}
                {"kind":"step","epoch":1,"step":20,"lr":0.05,"loss":1.8}
                """);

        MetricsHistory history = MetricsHistory.read(file);

        assertEquals(List.of(10L, 20L), history.steps().stream().map(MetricsHistory.Step::step).toList());
        assertEquals(1.8, history.steps().get(1).loss(), 0);
    }

    @Test
    void parameterGroupsAreRead() throws IOException {
        Path file = temp.resolve("metrics.jsonl");
        Files.writeString(file, "{\"kind\":\"step\",\"epoch\":1,\"step\":10,\"lr\":0.01,\"loss\":2.0,\"groups\":["
                + "{\"name\":\"body\",\"lr\":0.001,\"frozen\":true},"
                + "{\"name\":\"head\",\"lr\":0.01,\"frozen\":false}]}\n");

        MetricsHistory history = MetricsHistory.read(file);

        assertTrue(history.hasGroups());
        assertEquals(List.of(new GroupRate("body", 0.001, true), new GroupRate("head", 0.01, false)),
                history.steps().get(0).groups());
    }

    @Test
    void noFileIsAnEmptyHistory() {
        MetricsHistory history = MetricsHistory.read(temp.resolve("absent.jsonl"));
        assertTrue(history.steps().isEmpty() && history.epochs().isEmpty());
        assertNull(history.test());
    }
}
