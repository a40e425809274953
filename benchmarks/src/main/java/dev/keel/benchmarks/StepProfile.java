package dev.keel.benchmarks;

import ai.djl.Device;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The libtorch operators one training step of Keel's loop calls, counted with libtorch's own
 * profiler (the one {@code torch.profiler} uses): which ops, how many per step, and the time in
 * each. {@code tools/step_ops.py} counts PyTorch's step the same way, so the two compare op by op.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.keel.benchmarks.StepProfile MODEL BATCH STEPS OUT.json [CALLBACKS]</pre>
 *
 * <p>CALLBACKS is {@code none} (the bare step, as PyTorch's peer runs it) or {@code norm} (the
 * global gradient norm read every step, as the divergence guard of {@code keel train} does).
 */
public final class StepProfile {
    private StepProfile() {}

    public static void main(String[] args) throws IOException {
        String model = args.length > 0 ? args[0] : "cnn";
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path trace = Path.of(args.length > 3 ? args[3] : "step-profile-" + model + ".json");
        String callbacks = args.length > 4 ? args[4] : "none";
        try (KeelSteps keel = new KeelSteps(model, batchSize, Device.cpu(), steps, callbacks)) {
            keel.epoch(); // warm-up: first-call allocations and oneDNN primitive creation stay out of the counts
            JniUtils.startProfile(false, true, false);
            keel.epoch();
            JniUtils.stopProfile(trace.toAbsolutePath().toString());
        }
        summarise(trace, steps);
    }

    /** Prints the top-level ops (those no other op called) per step, most time first. */
    static void summarise(Path trace, int steps) throws IOException {
        JsonNode events = new ObjectMapper().readTree(trace.toFile());
        JsonNode list = events.isArray() ? events : events.path("traceEvents");
        Map<String, long[]> byName = new TreeMap<>();
        long total = 0;
        long[] open = {-1};
        for (JsonNode event : sorted(list)) {
            if (!"X".equals(event.path("ph").asText()) || !event.path("name").asText().startsWith("aten::")) {
                continue;
            }
            long start = event.path("ts").asLong();
            long duration = event.path("dur").asLong();
            if (start < open[0]) {
                continue; // called by an op already counted
            }
            open[0] = start + duration;
            long[] entry = byName.computeIfAbsent(event.path("name").asText(), k -> new long[2]);
            entry[0]++;
            entry[1] += duration;
            total++;
        }
        System.out.printf(Locale.ROOT, "%s: %.1f top-level aten ops per step%n", trace.getFileName(),
                (double) total / steps);
        byName.entrySet().stream().sorted(Comparator.comparingLong(e -> -e.getValue()[1])).limit(25)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %-36s %7.1f per step %9.3f ms per step%n", e.getKey(),
                        (double) e.getValue()[0] / steps, e.getValue()[1] / 1000.0 / steps));
    }

    private static java.util.List<JsonNode> sorted(JsonNode list) {
        java.util.List<JsonNode> events = new java.util.ArrayList<>();
        list.forEach(events::add);
        events.sort(Comparator.comparingLong(e -> e.path("ts").asLong()));
        return events;
    }

}
