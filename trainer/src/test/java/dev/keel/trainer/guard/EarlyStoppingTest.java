package dev.keel.trainer.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.trainer.FileSnapshot;
import dev.keel.trainer.KeelRun;
import dev.keel.trainer.RunFiles;
import dev.keel.trainer.TinyTable;
import dev.keel.trainer.fit.EpochResult;
import dev.keel.trainer.fit.EvalResult;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.track.RunLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EarlyStoppingTest {
    @TempDir
    Path temp;

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementAndRecordsIt() {
        List<String> events = new ArrayList<>();
        EarlyStopping stopping = new EarlyStopping("valid_loss", 2, 0.01, (kind, state, fields) -> events.add(kind));
        LoopState state = new LoopState(10, 5, 8);
        double[] losses = {0.50, 0.40, 0.395, 0.41};
        for (int epoch = 0; epoch < losses.length; epoch++) {
            assertFalse(state.stopRequested(), "stopped too early, at epoch " + epoch);
            stopping.onEpochEnd(state, new EpochResult(epoch, 1.0, new EvalResult(losses[epoch], 0.5, 100), 1.0));
        }
        assertTrue(state.stopRequested(), "0.395 is not 0.01 better than 0.40, and 0.41 is worse");
        assertEquals(List.of("early_stop"), events);
    }

    @Test
    void accuracyIsBetterWhenHigherAndStateSurvivesAResume() {
        EarlyStopping first = new EarlyStopping("valid_accuracy", 2, 0, (kind, state, fields) -> { });
        LoopState state = new LoopState(10, 5, 8);
        first.onEpochEnd(state, new EpochResult(0, 1.0, new EvalResult(1.0, 0.80, 100), 1.0));
        first.onEpochEnd(state, new EpochResult(1, 1.0, new EvalResult(1.0, 0.79, 100), 1.0));

        EarlyStopping resumed = new EarlyStopping("valid_accuracy", 2, 0, (kind, s, fields) -> { });
        resumed.loadState(first.saveState());
        resumed.onEpochEnd(state, new EpochResult(2, 1.0, new EvalResult(1.0, 0.795, 100), 1.0));
        assertTrue(state.stopRequested(), "two epochs without beating 0.80, counted across the resume");
    }

    /**
     * A run whose validation loss cannot improve by early_stopping.min_delta stops after
     * early_stopping.patience epochs: status stopped, exit code 0, the reason recorded, the model
     * saved and tested; resuming it leaves every file as it was.
     */
    @Test
    void aRunThatStopsEarlyEndsAsStoppedWithItsReasonAndResumeLeavesItAlone() throws Exception {
        Path table = TinyTable.write(temp.resolve("table.csv"), 400, 1);
        Path config = Files.writeString(temp.resolve("early.yaml"), TinyTable.config("early", table, """
                optimizer: {lr: 0.01}
                train: {epochs: 5, log_every_steps: 3}
                early_stopping: {patience: 1, monitor: valid_loss, min_delta: 1.0}
                """));
        Path run = temp.resolve("run");
        KeelRun train = KeelRun.of("train", config.toString(), "--run-dir", run.toString());

        assertEquals(0, train.exit(), train.output());
        JsonNode summary = RunFiles.summary(run);
        assertEquals("stopped", summary.get("status").asText(), summary.toString());
        assertEquals(2, summary.get("epochs").asInt(), "the first epoch sets the best, the second fails to beat it");
        assertEquals(18, summary.get("steps").asLong(), summary.toString());
        List<JsonNode> epochs = RunFiles.metrics(run, "epoch");
        assertEquals(2, epochs.size(), epochs.toString());
        String reason = String.format(Locale.ROOT, "early stopping: valid_loss has not improved on %.4f for 1 epoch(s)",
                epochs.get(0).get("valid_loss").asDouble());
        assertEquals(reason, summary.get("reason").asText());
        assertTrue(train.out().contains("stopped: " + reason), train.out());
        List<JsonNode> stops = RunFiles.metrics(run, "early_stop");
        assertEquals(1, stops.size(), stops.toString());
        assertEquals(reason, stops.get(0).get("reason").asText());
        assertEquals(18, stops.get(0).get("step").asLong());
        assertEquals(epochs.get(0).get("valid_loss").asDouble(), stops.get(0).get("best").asDouble(), 0);
        assertEquals(1, RunFiles.metrics(run, "test").size(), "a stopped run is tested as a completed one");
        assertTrue(summary.has("test"), summary.toString());
        assertTrue(Files.isRegularFile(run.resolve("model/keel-model.json")), "a stopped run saves its model");

        FileSnapshot before = FileSnapshot.of(run);
        KeelRun resume = KeelRun.of("resume", run.toString());
        assertEquals(0, resume.exit(), resume.output());
        assertTrue(resume.out().contains(run + ": the run has already stopped (summary.json); nothing to resume"),
                resume.output());
        // .lock names the last process that held the folder: the resume, which looked and left.
        assertEquals(List.of(), FileSnapshot.of(run).changesSince(before).stream()
                .filter(change -> !change.equals("changed " + run.resolve(RunLock.FILE))).toList(),
                "no file added, removed or changed");
    }
}
