package dev.keel.trainer.transfer;

import ai.djl.nn.Parameter;
import dev.keel.trainer.config.FinetuneConfig;
import dev.keel.trainer.config.ScheduleConfig;
import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.GroupRate;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.Phase;
import dev.keel.trainer.optim.KeelOptimizer;
import dev.keel.trainer.schedule.Schedule;
import dev.keel.trainer.schedule.Schedules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * fastai's {@code fine_tune}, step by step: for {@code freeze_epochs} every group but the head is
 * frozen and one-cycle (pct_start 0.99) runs the head at {@code lr} and the rest at {@code lr / 10};
 * then everything trains with one-cycle from half the rate, the groups' rates spread geometrically
 * from {@code lr / 2 / lr_mult} to {@code lr / 2}. Both the phase and the rates are pure functions
 * of the step, so a resumed run, on either side of the boundary, continues exactly.
 */
public final class FineTuneSchedule implements Callback {
    private final FinetuneConfig finetune;
    private final ScheduleConfig schedule;
    private final double lr;
    private final List<ParameterGroups.Group> groups;
    private final Freezer freezer;
    private final KeelOptimizer optimizer;
    private final long frozenSteps;
    private final double[] frozenFactors;
    private final double[] unfrozenFactors;
    private Boolean frozenApplied;

    /**
     * @param lr the head's peak rate in the frozen phase (fastai's {@code base_lr})
     * @param stepsPerEpoch places the end of the frozen phase
     */
    public FineTuneSchedule(FinetuneConfig finetune, ScheduleConfig schedule, double lr,
            Freezer freezer, KeelOptimizer optimizer, long stepsPerEpoch) {
        this.finetune = finetune;
        this.schedule = schedule;
        this.lr = lr;
        this.groups = freezer.groups();
        this.freezer = freezer;
        this.optimizer = optimizer;
        this.frozenSteps = (long) finetune.freezeEpochs() * stepsPerEpoch;
        // fastai's slice(lr) while frozen (every group but the head at lr / 10), slice(lr / lr_mult, lr) after.
        this.frozenFactors = new double[groups.size()];
        Arrays.fill(frozenFactors, 0.1);
        frozenFactors[groups.size() - 1] = 1;
        this.unfrozenFactors = ParameterGroups.discriminativeFactors(finetune.lrMult(), groups.size());
    }

    @Override
    public Phase phase() {
        return Phase.CONTROL;
    }

    @Override
    public void onStepBegin(LoopState state) {
        long step = state.globalStep();
        boolean frozen = step < frozenSteps;
        double[] factors = frozen ? frozenFactors : unfrozenFactors;
        if (frozenApplied == null || frozenApplied != frozen) {
            // The phase changed (or the run starts or resumes): freezing and each parameter's share of the rate.
            freezer.apply(frozen);
            optimizer.setRateFactors(byParameterId(factors));
            frozenApplied = frozen;
        }
        long phaseStep = frozen ? step : step - frozenSteps;
        long phaseSteps = frozen ? frozenSteps : state.totalSteps() - frozenSteps;
        Schedule rate = frozen
                ? Schedules.oneCycleLr(lr, schedule.div(), schedule.divFinal(), FinetuneConfig.FROZEN_PCT_START)
                : Schedules.oneCycleLr(lr / 2, finetune.div(), schedule.divFinal(), finetune.pctStart());
        double headRate = state.learningRateScale() * rate.valueAt(phaseStep, phaseSteps);
        optimizer.setLearningRate(headRate);
        if (schedule.cycleMomentum()) {
            optimizer.setMomentum(Schedules.oneCycleMomentum(schedule.momentumMax(), schedule.momentumMin(),
                    frozen ? FinetuneConfig.FROZEN_PCT_START : finetune.pctStart()).valueAt(phaseStep, phaseSteps));
        }
        List<GroupRate> rates = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            rates.add(new GroupRate(groups.get(g).name(), (float) headRate * (float) factors[g],
                    frozen && g < groups.size() - 1));
        }
        state.setGroupRates(rates);
    }

    private Map<String, Float> byParameterId(double[] factors) {
        Map<String, Float> byId = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            for (Parameter parameter : groups.get(g).parameters().values()) {
                byId.put(parameter.getId(), (float) factors[g]);
            }
        }
        return byId;
    }
}
