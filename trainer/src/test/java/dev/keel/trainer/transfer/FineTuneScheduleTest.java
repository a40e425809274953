package dev.keel.trainer.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.keel.trainer.config.FinetuneConfig;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.config.ScheduleConfig;
import dev.keel.trainer.fit.GroupRate;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.LoopStates;
import dev.keel.trainer.optim.AdamW;
import dev.keel.trainer.schedule.Schedules;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fine-tune schedule as a function of the step: fastai's {@code fine_tune} rates, phase by phase. */
class FineTuneScheduleTest {
    private static final ScheduleConfig ONE_CYCLE = new ScheduleConfig("one-cycle", 0.25, 25.0, 1e5, true, 0.95,
            0.85, 0.05, 1, 0.5);

    @Test
    void evenMultsSpreadTheRatesGeometricallyFromLrOverLrMultToLr() {
        assertArrayEquals(new double[] {0.01, 0.1, 1}, ParameterGroups.discriminativeFactors(100, 3), 1e-12);
        assertArrayEquals(new double[] {0.01, 1}, ParameterGroups.discriminativeFactors(100, 2), 1e-12);
        assertArrayEquals(new double[] {1}, ParameterGroups.discriminativeFactors(100, 1), 1e-12);
    }

    @Test
    void theFrozenPhaseRunsTheHeadAtLrThenEverythingFromHalfOfIt() {
        FinetuneConfig recipe = new FinetuneConfig(2, 100, 0.3, 5.0, List.of(), true);
        try (Model model = Model.newInstance("schedule", Device.cpu());
                AdamW optimizer = new AdamW(model.getNDManager(), 1, 0.9, 0.999, 1e-8, 0, true);
                TransferModel transfer = TransferModel.build(new ModelConfig("mlp", List.of(8), List.of(1), 0, 20),
                        null, null, new Shape(4), 3, Device.cpu(), "test.yaml")) {
            transfer.block().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 4));
            Freezer freezer = new Freezer(ParameterGroups.of(transfer.block(), List.of(), "test.yaml"),
                    transfer.block(), true);
            FineTuneSchedule schedule = new FineTuneSchedule(recipe, ONE_CYCLE, 0.01, freezer, optimizer, 10);
            LoopState state = new LoopState(5, 10, 32); // 2 frozen epochs + 3, 10 steps each
            for (int step = 0; step < 50; step++) {
                LoopStates.moveTo(state, step / 10, step % 10);
                schedule.onStepBegin(state);
                boolean frozen = step < 20;
                double head = frozen
                        ? Schedules.oneCycleLr(0.01, 25, 1e5, 0.99).valueAt(step, 20)
                        : Schedules.oneCycleLr(0.005, 5, 1e5, 0.3).valueAt(step - 20, 30);
                assertEquals(head, optimizer.learningRate(), 1e-9, "step " + step);
                List<GroupRate> rates = state.groupRates();
                assertEquals(new GroupRate("head", (float) head, false), rates.get(1));
                assertEquals(frozen, rates.get(0).frozen(), "step " + step);
                assertEquals(head * (frozen ? 0.1 : 0.01), rates.get(0).learningRate(), 1e-9, "step " + step);
                double beta1 = Schedules.oneCycleMomentum(0.95, 0.85, frozen ? 0.99 : 0.3)
                        .valueAt(frozen ? step : step - 20, frozen ? 20 : 30);
                assertEquals(beta1, optimizer.momentum(), 1e-6, "step " + step);
            }
        }
    }
}
