package dev.keel.trainer.plan;

import dev.keel.trainer.checkpoint.CheckpointCallback;
import dev.keel.trainer.checkpoint.CheckpointStore;
import dev.keel.trainer.config.OptimizerConfig;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.StatefulCallback;
import dev.keel.trainer.guard.DivergenceGuard;
import dev.keel.trainer.guard.EarlyStopping;
import dev.keel.trainer.guard.GracefulStop;
import dev.keel.trainer.guard.GradientClipping;
import dev.keel.trainer.guard.PauseAfterEpoch;
import dev.keel.trainer.metrics.EventSink;
import dev.keel.trainer.metrics.TrainingClock;
import dev.keel.trainer.precision.PrecisionChoice;
import dev.keel.trainer.session.RunSession;
import dev.keel.trainer.track.ConsoleProgress;
import dev.keel.trainer.transfer.FineTuneSchedule;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The one place that turns a run's config and live objects into the loop's callbacks. Each feature
 * is one entry of {@link #FEATURES}: a factory beside its callback that gives nothing when the
 * config leaves the feature off. The callbacks come out in the order the loop calls them (by
 * {@link Callback#phase()}, then in the order of the entries), and those whose state checkpoints
 * keep are found by type.
 */
public final class CallbackPlan implements AutoCloseable {
    /**
     * What the callbacks act on.
     *
     * @param session the run's model, optimizer, trainer, freezer and metrics log
     * @param store the run's checkpoints
     * @param optimizer the optimizer settings with the rate training runs with (chosen by the finder under {@code lr: auto})
     * @param stepsPerEpoch optimizer steps in one epoch
     * @param fresh whether the run starts from its first step (not from a checkpoint)
     * @param out where progress goes
     * @param terminal whether {@code out} is a terminal
     * @param pauseAfterEpoch the epoch (1-based) after which the run pauses, or 0 to train to the end
     */
    public record Live(RunSession session, CheckpointStore store, OptimizerConfig optimizer, int stepsPerEpoch,
            boolean fresh, PrintStream out, boolean terminal, int pauseAfterEpoch) {}

    /** One feature: its callback for this run, or nothing when the config leaves it off. */
    @FunctionalInterface
    private interface Feature {
        /** @param stateful the stateful callbacks of the entries before this one */
        Optional<? extends Callback> callback(RunConfig config, Live live, List<StatefulCallback> stateful);
    }

    /** Every feature of a training run; checkpoints come last, as they keep the others' state. */
    private static final List<Feature> FEATURES = List.of(
            (config, live, stateful) -> Optional.of(schedule(config, live)),
            (config, live, stateful) -> Optional.ofNullable(live.session().metrics()),
            (config, live, stateful) -> Optional.of(new TrainingClock()),
            (config, live, stateful) -> PrecisionChoice.lossScaler(config.train(),
                    live.session().metrics() == null ? EventSink.NONE : live.session().metrics()),
            (config, live, stateful) -> GradientClipping.of(config.guard(), live.session().metrics()),
            (config, live, stateful) -> Optional.of(DivergenceGuard.of(config.guard(),
                    config.train().syncEverySteps() == 1, live.store(), live.session().block(),
                    live.session().optimizer(), live.session().manager(), live.session().metrics())),
            (config, live, stateful) -> EarlyStopping.of(config.earlyStopping(), live.session().metrics()),
            (config, live, stateful) -> PauseAfterEpoch.of(live.pauseAfterEpoch(), config.totalEpochs()),
            (config, live, stateful) -> Optional.of(new ConsoleProgress(live.out(), live.terminal(),
                    config.train().logEverySteps())),
            (config, live, stateful) -> Optional.of(GracefulStop.install(live.out())),
            (config, live, stateful) -> Optional.of(CheckpointCallback.of(config.checkpoint(), live.store(),
                    live.session().block(), live.session().optimizer(), live.session().manager(), stateful,
                    live.fresh())));

    private final List<Callback> callbacks;

    private CallbackPlan(List<Callback> callbacks) {
        this.callbacks = List.copyOf(callbacks);
    }

    /** The callbacks of a training run of {@code config}. */
    public static CallbackPlan of(RunConfig config, Live live) {
        List<Callback> callbacks = new ArrayList<>();
        for (Feature feature : FEATURES) {
            feature.callback(config, live, statefulIn(callbacks)).ifPresent(callbacks::add);
        }
        callbacks.sort(Comparator.comparing(Callback::phase)); // stable: keeps the entries' order within a phase
        return new CallbackPlan(callbacks);
    }

    /**
     * The schedule of the rate: the configured one, or under {@code finetune} the recipe's two
     * one-cycle phases over the parameter groups. The only place that chooses between them.
     */
    private static Callback schedule(RunConfig config, Live live) {
        RunSession session = live.session();
        if (session.freezer() == null) {
            return ScheduleCallback.of(config.schedule(), live.optimizer(), live.stepsPerEpoch(), session.optimizer());
        }
        return new FineTuneSchedule(config.finetune(), config.schedule(), live.optimizer().lr().value(),
                session.freezer(), session.optimizer(), live.stepsPerEpoch());
    }

    /** The loop's callbacks, in the order it calls them at each event. */
    public List<Callback> callbacks() {
        return callbacks;
    }

    /** The callbacks whose state checkpoints store and a resume gives back. */
    public List<StatefulCallback> stateful() {
        return statefulIn(callbacks);
    }

    /** The plan's callback of {@code type}, if it has one. */
    public <T extends Callback> Optional<T> find(Class<T> type) {
        return callbacks.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    private static List<StatefulCallback> statefulIn(List<Callback> callbacks) {
        return callbacks.stream().filter(StatefulCallback.class::isInstance).map(StatefulCallback.class::cast)
                .toList();
    }

    /** Puts back the signal handlers the graceful stop installed. */
    @Override
    public void close() {
        find(GracefulStop.class).ifPresent(GracefulStop::close);
    }
}
