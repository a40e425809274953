package dev.keel.trainer.guard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.KeelRun;
import dev.keel.trainer.RunFiles;
import dev.keel.trainer.TinyTable;
import dev.keel.trainer.fit.Gradients;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.LoopStates;
import dev.keel.trainer.fit.StepGradients;
import dev.keel.trainer.metrics.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GradientClippingTest {
    @TempDir
    Path temp;

    /** One recorded event. */
    private record Event(String kind, LoopState state, Map<String, ?> fields) {}

    /**
     * Two parameters, {@code a} (2 values) and {@code b} (1 value), whose gradients are those of the
     * loss {@code 3 a0 + 0 a1 + 4 b0}: {@code [3, 0]} and {@code [4]}, a global norm of exactly 5.
     */
    private static PairList<String, Parameter> parameters(NDManager manager) {
        NDArray a = manager.create(new float[] {1, 2});
        NDArray b = manager.create(new float[] {5});
        a.setRequiresGradient(true);
        b.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(a.mul(manager.create(new float[] {3, 0})).sum().add(b.mul(4).sum()));
        }
        PairList<String, Parameter> parameters = new PairList<>();
        parameters.add("a", Parameter.builder().setName("a").setType(Parameter.Type.WEIGHT).optArray(a).build());
        parameters.add("b", Parameter.builder().setName("b").setType(Parameter.Type.BIAS).optArray(b).build());
        return parameters;
    }

    private static float[] gradient(PairList<String, Parameter> parameters, String name) {
        try (NDArray gradient = parameters.get(name).getArray().getGradient()) {
            return gradient.toFloatArray();
        }
    }

    /** Runs the clipping callback over the gradients of one step and returns what it recorded. */
    private static List<Event> clip(double maxNorm, PairList<String, Parameter> parameters, LoopState state) {
        List<Event> events = new ArrayList<>();
        GradientClipping clipping = new GradientClipping(maxNorm,
                (kind, at, fields) -> events.add(new Event(kind, at, fields)));
        try (Gradients gradients = StepGradients.of(parameters, 0.7)) {
            clipping.onGradients(state, gradients);
        }
        return events;
    }

    @ParameterizedTest(name = "max norm {0}")
    @ValueSource(doubles = {5.0, 5.01, 100})
    void aGlobalNormAtOrBelowTheMaximumIsLeftAloneAndNotRecorded(double maxNorm) {
        try (NDManager manager = NDManager.newBaseManager()) {
            PairList<String, Parameter> parameters = parameters(manager);
            List<Event> events = clip(maxNorm, parameters, new LoopState(1, 10, 4));
            assertEquals(List.of(), events);
            assertArrayEquals(new float[] {3, 0}, gradient(parameters, "a"));
            assertArrayEquals(new float[] {4}, gradient(parameters, "b"));
        }
    }

    @Test
    void aboveTheMaximumEveryGradientIsScaledByMaxOverNormAndTheClipIsRecorded() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PairList<String, Parameter> parameters = parameters(manager);
            LoopState state = new LoopState(1, 10, 4);
            List<Event> events = clip(1.0, parameters, state);

            // Scaled by 1 / 5: the direction is kept and the global norm becomes the maximum.
            assertArrayEquals(new float[] {0.6f, 0}, gradient(parameters, "a"), 1e-7f);
            assertArrayEquals(new float[] {0.8f}, gradient(parameters, "b"), 1e-7f);
            try (Gradients after = StepGradients.of(parameters, 0.7)) {
                assertEquals(1.0, after.globalNorm(), 1e-6);
            }
            assertEquals(1, events.size(), events.toString());
            assertEquals("clip", events.get(0).kind());
            assertSame(state, events.get(0).state());
            assertEquals(Map.of("grad_norm", 5.0, "max_norm", 1.0), events.get(0).fields());
        }
    }

    @Test
    void justAboveTheMaximumClipsToIt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PairList<String, Parameter> parameters = parameters(manager);
            List<Event> events = clip(2.5, parameters, new LoopState(1, 10, 4));
            assertArrayEquals(new float[] {1.5f, 0}, gradient(parameters, "a"), 1e-7f);
            assertArrayEquals(new float[] {2.0f}, gradient(parameters, "b"), 1e-7f);
            assertEquals(List.of("clip"), events.stream().map(Event::kind).toList());
        }
    }

    @Test
    void aNonFiniteGradientIsLeftToTheDivergenceGuard() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PairList<String, Parameter> parameters = parameters(manager);
            try (NDArray gradient = parameters.get("b").getArray().getGradient()) {
                gradient.set(new NDIndex(0), Float.POSITIVE_INFINITY);
            }
            List<Event> events = clip(1.0, parameters, new LoopState(1, 10, 4));
            assertEquals(List.of(), events);
            assertArrayEquals(new float[] {3, 0}, gradient(parameters, "a"), "not scaled by max / inf = 0");
        }
    }

    @Test
    void theClipIsALineOfMetricsJsonlAtTheStepItHappened() throws Exception {
        Path file = temp.resolve("metrics.jsonl");
        LoopState state = new LoopState(3, 4, 8);
        LoopStates.moveTo(state, 1, 2); // the 7th step of the run
        try (NDManager manager = NDManager.newBaseManager(); MetricsLog metrics = new MetricsLog(file, 100)) {
            GradientClipping clipping = new GradientClipping(2.0, metrics);
            try (Gradients gradients = StepGradients.of(parameters(manager), 0.7)) {
                clipping.onGradients(state, gradients);
            }
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size(), lines.toString());
        JsonNode line = new ObjectMapper().readTree(lines.get(0));
        assertEquals("clip", line.get("kind").asText());
        assertEquals(2, line.get("epoch").asInt(), "1-based");
        assertEquals(7, line.get("step").asLong(), "steps done, this one included");
        assertEquals(5.0, line.get("grad_norm").asDouble(), 1e-6);
        assertEquals(2.0, line.get("max_norm").asDouble(), 0);
    }

    @Test
    void aMaximumThatIsNotPositiveIsRefused() {
        for (double bad : new double[] {0, -1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new GradientClipping(bad, (kind, state, fields) -> { }));
            assertTrue(e.getMessage().contains("maxNorm must be > 0"), e.getMessage());
        }
    }

    /**
     * {@code guard.clip_grad_norm} in a config: the run records a clip for each step whose gradients
     * were above the norm, with the norm it found, and none when the key is left at 0.
     */
    @Test
    void aRunWithClipGradNormRecordsItsClipsInMetricsJsonl() throws Exception {
        Path table = TinyTable.write(temp.resolve("table.csv"), 400, 1);
        Path clipped = temp.resolve("clipped");
        KeelRun run = KeelRun.of("train", Files.writeString(temp.resolve("clip.yaml"), TinyTable.config("clip", table,
                "optimizer: {lr: 0.01}\ntrain: {epochs: 2, log_every_steps: 3}\nguard: {clip_grad_norm: 1.0}\n"))
                .toString(), "--run-dir", clipped.toString());
        assertEquals(0, run.exit(), run.output());
        long steps = RunFiles.summary(clipped).get("steps").asLong();
        assertEquals(18, steps, "2 epochs of 288 training rows in batches of 32");

        List<JsonNode> clips = RunFiles.metrics(clipped, "clip");
        assertFalse(clips.isEmpty(), "the first steps' gradient norms are above 1");
        assertTrue(clips.size() < steps, "late steps' gradients are below 1: " + clips.size() + " clips");
        HashSet<Long> clippedSteps = new HashSet<>();
        for (JsonNode clip : clips) {
            assertEquals(1.0, clip.get("max_norm").asDouble(), 0);
            assertTrue(clip.get("grad_norm").asDouble() > 1.0, clip.toString());
            assertTrue(clippedSteps.add(clip.get("step").asLong()), "one clip per step: " + clip);
            assertTrue(clip.get("step").asLong() >= 1 && clip.get("step").asLong() <= steps, clip.toString());
        }

        Path unclipped = temp.resolve("unclipped");
        KeelRun plain = KeelRun.of("train", Files.writeString(temp.resolve("plain.yaml"), TinyTable.config("plain",
                table, "optimizer: {lr: 0.01}\ntrain: {epochs: 2, log_every_steps: 3}\n")).toString(),
                "--run-dir", unclipped.toString());
        assertEquals(0, plain.exit(), plain.output());
        assertEquals(List.of(), RunFiles.metrics(unclipped, "clip"), "guard.clip_grad_norm defaults to 0: off");
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(clipped.resolve("model/model-0002.params")),
                Files.readAllBytes(unclipped.resolve("model/model-0002.params"))), "clipping changed the updates");
    }
}
