package dev.keel.trainer.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.trainer.checkpoint.CheckpointCallback;
import dev.keel.trainer.checkpoint.CheckpointStore;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.OptimizerConfig;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.guard.DivergenceGuard;
import dev.keel.trainer.guard.EarlyStopping;
import dev.keel.trainer.guard.GracefulStop;
import dev.keel.trainer.guard.GradientClipping;
import dev.keel.trainer.metrics.MetricsLog;
import dev.keel.trainer.metrics.TrainingClock;
import dev.keel.trainer.session.RunOptions;
import dev.keel.trainer.session.RunSession;
import dev.keel.trainer.session.TrainingSetup;
import dev.keel.trainer.track.ConsoleProgress;
import dev.keel.trainer.transfer.FineTuneSchedule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The callbacks a run's config gives, in the order the loop calls them (metrics, then control in
 * the plan's order, then checkpoints, then progress), built on a real session over the bundled
 * Fashion-MNIST sample.
 */
class CallbackPlanTest {
    private static final String BASE = """
            name: plan
            seed: 1
            device: cpu
            model: {arch: cnn, channels: [4, 8], hidden: [16]}
            """;

    @TempDir
    Path temp;

    /** The plan's callbacks and the stateful ones, by class. */
    private record Planned(List<Class<?>> callbacks, List<Class<?>> stateful) {}

    @Test
    void aPlainRunHasTheScheduleTheGuardCheckpointsProgressAndTheGracefulStop() throws IOException {
        Planned planned = plan(BASE + "optimizer: {lr: 0.01}\n");
        assertEquals(List.of(MetricsLog.class, TrainingClock.class, ScheduleCallback.class, DivergenceGuard.class, GracefulStop.class,
                CheckpointCallback.class, ConsoleProgress.class), planned.callbacks());
        assertEquals(List.of(MetricsLog.class, TrainingClock.class, DivergenceGuard.class), planned.stateful());
    }

    @Test
    void anLrAutoRunTrainsWithThePlainScheduleAtTheRateTheFinderChose() throws IOException {
        Planned planned = plan(BASE + "optimizer: {lr: auto}\n");
        assertEquals(List.of(MetricsLog.class, TrainingClock.class, ScheduleCallback.class, DivergenceGuard.class, GracefulStop.class,
                CheckpointCallback.class, ConsoleProgress.class), planned.callbacks());
    }

    @Test
    void earlyStoppingAndClippingJoinTheControlPhaseInThePlansOrder() throws IOException {
        Planned planned = plan(BASE + """
                optimizer: {lr: 0.01}
                guard: {clip_grad_norm: 1.0}
                early_stopping: {patience: 2}
                """);
        assertEquals(List.of(MetricsLog.class, TrainingClock.class, ScheduleCallback.class, GradientClipping.class, DivergenceGuard.class,
                EarlyStopping.class, GracefulStop.class, CheckpointCallback.class, ConsoleProgress.class),
                planned.callbacks());
        assertEquals(List.of(MetricsLog.class, TrainingClock.class, DivergenceGuard.class, EarlyStopping.class), planned.stateful());
    }

    @Test
    void aFineTuningRunHasTheFineTuneScheduleInsteadOfThePlainOne() throws IOException {
        Path fixtures = Path.of("src/test/resources/dev/keel/trainer/transfer");
        JsonNode fixture = new ObjectMapper().readTree(fixtures.resolve("fmnist5.json").toFile());
        Planned planned = plan("""
                name: plan
                seed: 1
                device: cpu
                data: {normalize: [%s, %s]}
                model: {pretrained: %s}
                optimizer: {lr: 0.01}
                finetune: {freeze_epochs: 1}
                """.formatted(fixture.get("normalize_mean"), fixture.get("normalize_std"),
                fixtures.resolve("fmnist5-features.pt").toAbsolutePath()));
        assertEquals(List.of(MetricsLog.class, TrainingClock.class, FineTuneSchedule.class, DivergenceGuard.class, GracefulStop.class,
                CheckpointCallback.class, ConsoleProgress.class), planned.callbacks());
    }

    private Planned plan(String yaml) throws IOException {
        RunConfig config = ConfigLoader.fromYaml("plan.yaml", yaml, List.of());
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        RunOptions options = RunOptions.defaults().withOut(out, false).withRunsRoot(temp.resolve("runs"))
                .withResolver(new DatasetResolver(name -> null, Map.of("fashion-mnist", temp.resolve("none"))));
        // Under lr: auto the finder chooses the rate before the plan is made; any rate stands in for it here.
        OptimizerConfig optimizer = config.optimizer().lr().auto() ? config.optimizer().withLr(0.01)
                : config.optimizer();
        try (TrainingSetup setup = TrainingSetup.of(config, options);
                RunSession session = RunSession.open(config, setup, "plan.yaml", temp.resolve("metrics.jsonl"));
                CallbackPlan plan = CallbackPlan.of(config, new CallbackPlan.Live(session,
                        new CheckpointStore(temp.resolve("checkpoints"), warning -> {}), optimizer, 10, true, out,
                        false, 0))) {
            assertTrue(plan.find(GracefulStop.class).isPresent());
            return new Planned(plan.callbacks().stream().<Class<?>>map(Object::getClass).toList(),
                    plan.stateful().stream().<Class<?>>map(Object::getClass).toList());
        }
    }
}
