package dev.keel.trainer.plan;

import dev.keel.trainer.config.OptimizerConfig;
import dev.keel.trainer.config.ScheduleConfig;
import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.Phase;
import dev.keel.trainer.optim.KeelOptimizer;
import dev.keel.trainer.schedule.SchedulePlan;

/**
 * Sets the optimizer's learning rate (times the loop's learning-rate scale, which divergence guards
 * lower) and momentum, where the plan has one, before every step.
 */
public final class ScheduleCallback implements Callback {
    private final SchedulePlan plan;
    private final KeelOptimizer optimizer;

    public ScheduleCallback(SchedulePlan plan, KeelOptimizer optimizer) {
        this.plan = plan;
        this.optimizer = optimizer;
    }

    @Override
    public Phase phase() {
        return Phase.CONTROL;
    }

    @Override
    public void onStepBegin(LoopState state) {
        optimizer.setLearningRate(state.learningRateScale()
                * plan.learningRate().valueAt(state.globalStep(), state.totalSteps()));
        if (plan.momentum() != null) {
            optimizer.setMomentum(plan.momentum().valueAt(state.globalStep(), state.totalSteps()));
        }
    }

    /** The configured schedule of {@code optimizer}'s rate (and momentum), peaking at its {@code lr}. */
    public static ScheduleCallback of(ScheduleConfig schedule, OptimizerConfig optimizerConfig, int stepsPerEpoch,
            KeelOptimizer optimizer) {
        return new ScheduleCallback(SchedulePlan.of(schedule, optimizerConfig, stepsPerEpoch), optimizer);
    }
}
