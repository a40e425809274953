package dev.keel.trainer.schedule;

import dev.keel.trainer.config.OptimizerConfig;
import dev.keel.trainer.config.ScheduleConfig;

/**
 * The learning rate and, where the schedule cycles it, the momentum (sgd) or beta1 (adam) of a
 * run, step by step.
 *
 * @param learningRate the rate at each step
 * @param momentum the momentum or beta1 at each step, or null to leave the optimizer's own
 */
public record SchedulePlan(Schedule learningRate, Schedule momentum) {

    /** The plan a config describes; {@code stepsPerEpoch} places the step schedule's decays. */
    public static SchedulePlan of(ScheduleConfig schedule, OptimizerConfig optimizer, long stepsPerEpoch) {
        double lr = optimizer.lr().value();
        return switch (schedule.name()) {
            case "one-cycle" -> new SchedulePlan(
                    Schedules.oneCycleLr(lr, schedule.div(), schedule.divFinal(), schedule.pctStart()),
                    schedule.cycleMomentum()
                            ? Schedules.oneCycleMomentum(schedule.momentumMax(), schedule.momentumMin(),
                                    schedule.pctStart())
                            : null);
            case "cosine" -> new SchedulePlan(Schedules.cosineWithWarmup(lr, schedule.warmupFraction()), null);
            case "step" -> new SchedulePlan(
                    Schedules.stepDecay(lr, schedule.gamma(), schedule.stepEpochs() * stepsPerEpoch), null);
            case "constant" -> new SchedulePlan(Schedule.constant(lr), null);
            default -> throw new IllegalArgumentException("unknown schedule " + schedule.name());
        };
    }
}
