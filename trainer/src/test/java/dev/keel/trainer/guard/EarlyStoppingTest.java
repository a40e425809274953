package dev.keel.trainer.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.trainer.fit.EpochResult;
import dev.keel.trainer.fit.EvalResult;
import dev.keel.trainer.fit.LoopState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

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
}
