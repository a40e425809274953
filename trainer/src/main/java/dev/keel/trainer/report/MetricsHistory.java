package dev.keel.trainer.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.fit.GroupRate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * What a run's metrics.jsonl says about its course, for charts: the step lines, the epoch lines
 * and the final test. Other kinds of line are left out, and so is a line cut short (a run killed
 * while writing it). When the divergence guard rolled the run back, a step or epoch logged again
 * replaces the one logged first: the charts show the run as it went on.
 *
 * @param steps the {@code "kind": "step"} lines, by step
 * @param epochs the {@code "kind": "epoch"} lines, by epoch
 * @param test the {@code "kind": "test"} line, or null when the run has none
 */
public record MetricsHistory(List<Step> steps, List<Epoch> epochs, Test test) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A step line. Missing numbers are NaN.
     *
     * @param step steps completed
     * @param loss mean training loss since the previous step line
     * @param lr the learning rate
     * @param momentum the momentum (sgd) or beta1 (adam)
     * @param groups each parameter group's rate and freezing; empty when the run has one group
     */
    public record Step(long step, double loss, double lr, double momentum, List<GroupRate> groups) {}

    /**
     * An epoch line. Missing numbers (a run without a validation split) are NaN.
     *
     * @param epoch 1-based
     * @param step steps completed at the epoch's end
     * @param trainLoss mean training loss over the epoch
     * @param validLoss loss on the validation split
     * @param validAccuracy accuracy on the validation split, in [0, 1]
     */
    public record Epoch(int epoch, long step, double trainLoss, double validLoss, double validAccuracy) {}

    /**
     * The test line.
     *
     * @param epoch the epochs the run trained
     * @param loss loss on the test split
     * @param accuracy accuracy on the test split, in [0, 1]
     */
    public record Test(int epoch, double loss, double accuracy) {}

    public MetricsHistory {
        steps = List.copyOf(steps);
        epochs = List.copyOf(epochs);
    }

    /** The history in {@code file}; empty when there is no such file. */
    public static MetricsHistory read(Path file) {
        if (!Files.isRegularFile(file)) {
            return of(List.of());
        }
        try {
            return of(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The history the lines of a metrics.jsonl hold. */
    public static MetricsHistory of(List<String> lines) {
        TreeMap<Long, Step> steps = new TreeMap<>();
        TreeMap<Integer, Epoch> epochs = new TreeMap<>();
        Test test = null;
        for (String text : lines) {
            JsonNode line = parse(text);
            switch (line.path("kind").asText()) {
                case "step" -> steps.put(line.path("step").asLong(), new Step(line.path("step").asLong(),
                        number(line, "loss"), number(line, "lr"), number(line, "momentum"), groups(line)));
                case "epoch" -> epochs.put(line.path("epoch").asInt(), new Epoch(line.path("epoch").asInt(),
                        line.path("step").asLong(), number(line, "train_loss"), number(line, "valid_loss"),
                        number(line, "valid_accuracy")));
                case "test" -> test = new Test(line.path("epoch").asInt(), number(line, "test_loss"),
                        number(line, "test_accuracy"));
                default -> {
                    // Guard events, the lr finder's line and kinds added later: not charted.
                }
            }
        }
        return new MetricsHistory(new ArrayList<>(steps.values()), new ArrayList<>(epochs.values()), test);
    }

    /** Whether any step line names its parameter groups (a fine-tuning run). */
    public boolean hasGroups() {
        return steps.stream().anyMatch(s -> !s.groups().isEmpty());
    }

    /** The line as JSON; a line that is not a JSON object (cut short, or blank) reads as an empty one. */
    private static JsonNode parse(String text) {
        try {
            JsonNode line = JSON.readTree(text);
            return line != null && line.isObject() ? line : JSON.createObjectNode();
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    private static double number(JsonNode line, String key) {
        JsonNode value = line.get(key);
        return value != null && value.isNumber() ? value.asDouble() : Double.NaN;
    }

    private static List<GroupRate> groups(JsonNode line) {
        List<GroupRate> groups = new ArrayList<>();
        for (JsonNode group : line.path("groups")) {
            groups.add(new GroupRate(group.path("name").asText(), number(group, "lr"),
                    group.path("frozen").asBoolean()));
        }
        return groups;
    }
}
