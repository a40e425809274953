package dev.keel.trainer.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.LoopStates;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LossScalerTest {
    private final List<String> events = new ArrayList<>();
    private final LoopState state = new LoopState(1, 10_000, 32);

    private LossScaler scaler(double initial, int interval) {
        return new LossScaler(initial, interval, (kind, at, fields) -> events.add(kind + " " + fields));
    }

    @Test
    void startsAtGradScalersDefaultAndDoublesAfter2000CleanStepsInARow() {
        LossScaler scaler = scaler(65536, LossScaler.GROWTH_INTERVAL);
        assertEquals(65536, scaler.scale());
        for (int i = 0; i < 1999; i++) {
            scaler.stepped(state);
        }
        assertEquals(65536, scaler.scale());
        assertEquals(1999, scaler.cleanSteps());
        scaler.stepped(state);
        assertEquals(131072, scaler.scale());
        assertEquals(0, scaler.cleanSteps());
        assertEquals(List.of("loss_scale {loss_scale=131072.0}"), events);
    }

    @Test
    void anOverflowHalvesTheScaleAndStartsTheCleanStepsAgain() {
        LossScaler scaler = scaler(65536, 3);
        scaler.stepped(state);
        scaler.stepped(state);
        LoopStates.moveTo(state, 0, 7);
        scaler.overflowed(state);
        assertEquals(32768, scaler.scale());
        assertEquals(0, scaler.cleanSteps());
        scaler.stepped(state);
        scaler.stepped(state);
        assertEquals(32768, scaler.scale(), "two clean steps since the overflow, not four");
        scaler.stepped(state);
        assertEquals(65536, scaler.scale());
        assertEquals(List.of("overflow {loss_scale=32768.0}", "loss_scale {loss_scale=65536.0}"), events);
    }

    @Test
    void itsStateRoundTripsThroughACheckpoint() {
        LossScaler scaler = scaler(1024, 5);
        scaler.overflowed(state);
        scaler.stepped(state);
        scaler.stepped(state);
        LossScaler restored = scaler(65536, 5);
        restored.loadState(scaler.saveState());
        assertEquals(512, restored.scale());
        assertEquals(2, restored.cleanSteps());
        assertEquals("loss_scaler", restored.stateKey());
    }

    @Test
    void refusesAScaleThatCannotScale() {
        assertThrows(IllegalArgumentException.class, () -> scaler(0, 5));
        assertThrows(IllegalArgumentException.class, () -> scaler(Double.POSITIVE_INFINITY, 5));
        assertThrows(IllegalArgumentException.class, () -> scaler(Double.NaN, 5));
        assertThrows(IllegalArgumentException.class, () -> scaler(2, 0));
    }
}
