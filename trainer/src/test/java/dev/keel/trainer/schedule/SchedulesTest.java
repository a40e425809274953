package dev.keel.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulesTest {
    private static final double EPS = 1e-12;

    @Test
    void cosineRunsFromStartToEndAlongHalfACosine() {
        assertEquals(1.0, Schedule.cosine(1.0, 3.0, 0.0), EPS);
        assertEquals(2.0, Schedule.cosine(1.0, 3.0, 0.5), EPS);
        assertEquals(3.0, Schedule.cosine(1.0, 3.0, 1.0), EPS);
        assertEquals(1.0 + (1 - Math.cos(Math.PI * 0.25)), Schedule.cosine(1.0, 3.0, 0.25), EPS);
    }

    @Test
    void oneCycleLearningRateFollowsFastaiAtItsBoundaries() {
        double lrMax = 0.01;
        Schedule lr = Schedules.oneCycleLr(lrMax, 25, 1e5, 0.25);
        long total = 1000;
        assertEquals(lrMax / 25, lr.valueAt(0, total), EPS, "starts at lr_max / div");
        assertEquals(lrMax, lr.valueAt(250, total), EPS, "peaks at pct_start");
        assertEquals(Schedule.cosine(lrMax / 25, lrMax, 125 / 250.0), lr.valueAt(125, total), EPS);
        assertEquals(Schedule.cosine(lrMax, lrMax / 1e5, 500 / 750.0), lr.valueAt(750, total), EPS);
        double last = lr.valueAt(999, total);
        assertEquals(Schedule.cosine(lrMax, lrMax / 1e5, 749 / 750.0), last, EPS);
        assertTrue(last < lrMax / 1e4, "ends near lr_max / div_final");
        for (long step = 1; step <= 250; step++) {
            assertTrue(lr.valueAt(step, total) >= lr.valueAt(step - 1, total), "rises until the peak");
        }
        for (long step = 251; step < total; step++) {
            assertTrue(lr.valueAt(step, total) <= lr.valueAt(step - 1, total), "falls after the peak");
        }
    }

    @Test
    void oneCycleMomentumMovesOppositeToTheRate() {
        Schedule momentum = Schedules.oneCycleMomentum(0.95, 0.85, 0.25);
        assertEquals(0.95, momentum.valueAt(0, 400), EPS);
        assertEquals(0.85, momentum.valueAt(100, 400), EPS);
        assertEquals(0.90, momentum.valueAt(50, 400), EPS);
        assertEquals(Schedule.cosine(0.85, 0.95, 299 / 300.0), momentum.valueAt(399, 400), EPS);
    }

    @Test
    void cosineWithWarmupRisesLinearlyThenDecaysToZero() {
        Schedule lr = Schedules.cosineWithWarmup(0.1, 0.1);
        assertEquals(0.01, lr.valueAt(0, 100), EPS);
        assertEquals(0.1, lr.valueAt(9, 100), EPS);
        assertEquals(0.1, lr.valueAt(10, 100), EPS);
        assertEquals(0.05, lr.valueAt(55, 100), EPS);
        assertEquals(Schedule.cosine(0.1, 0, 89 / 90.0), lr.valueAt(99, 100), EPS);
    }

    @Test
    void stepDecayMultipliesByGammaEveryBlock() {
        Schedule lr = Schedules.stepDecay(0.1, 0.5, 10);
        assertEquals(0.1, lr.valueAt(0, 100), EPS);
        assertEquals(0.1, lr.valueAt(9, 100), EPS);
        assertEquals(0.05, lr.valueAt(10, 100), EPS);
        assertEquals(0.025, lr.valueAt(29, 100), EPS);
        assertThrows(IllegalArgumentException.class, () -> Schedules.stepDecay(0.1, 0.5, 0));
    }

    @Test
    void planFollowsTheConfig() {
        RunConfig oneCycle = ConfigLoader.fromYaml("t.yaml", "optimizer: {lr: 0.02}", List.of());
        SchedulePlan plan = SchedulePlan.of(oneCycle.schedule(), oneCycle.optimizer(), 10);
        assertEquals(0.02 / 25, plan.learningRate().valueAt(0, 100), EPS);
        assertEquals(0.95, plan.momentum().valueAt(0, 100), EPS);

        RunConfig steps = ConfigLoader.fromYaml("t.yaml",
                "optimizer: {lr: 0.1}\nschedule: {name: step, step_epochs: 2, gamma: 0.1}", List.of());
        SchedulePlan stepPlan = SchedulePlan.of(steps.schedule(), steps.optimizer(), 10);
        assertEquals(0.1, stepPlan.learningRate().valueAt(19, 100), EPS);
        assertEquals(0.01, stepPlan.learningRate().valueAt(20, 100), 1e-15);
        assertEquals(null, stepPlan.momentum());

        RunConfig constant = ConfigLoader.fromYaml("t.yaml", "schedule: {name: constant}", List.of());
        assertEquals(0.003, SchedulePlan.of(constant.schedule(), constant.optimizer(), 10)
                .learningRate().valueAt(57, 100), EPS);
    }
}
