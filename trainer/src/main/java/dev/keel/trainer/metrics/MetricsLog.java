package dev.keel.trainer.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.trainer.fit.EpochResult;
import dev.keel.trainer.fit.GroupRate;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.StatefulCallback;
import dev.keel.trainer.fit.StepResult;
import dev.keel.trainer.track.ProcessMemory;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.WriteFailedException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one JSON object per line to {@code metrics.jsonl}: every {@code everySteps} steps
 * ({@code "kind": "step"}) and after every epoch ({@code "kind": "epoch"}). Each line carries
 * {@code epoch} (1-based), {@code step} (steps completed), {@code lr}, {@code momentum}, the rate
 * and freezing of each parameter group when there are several ({@code groups}), and the metrics by
 * name.
 * Lines are flushed as written, so a crashed run keeps what it logged.
 */
public final class MetricsLog implements StatefulCallback, EventSink, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final BufferedWriter out;
    private final int everySteps;
    private double lossSum;
    private int lossCount;
    private double secondsSum;
    private int itemsSum;

    public MetricsLog(Path file, int everySteps) {
        this.file = file;
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw WriteFailedException.of(file, e);
        }
        this.everySteps = everySteps;
    }

    @Override
    public String stateKey() {
        return "metrics_log";
    }

    /**
     * The step window logged so far, so that a run resumed between two step lines logs the next
     * one over the same steps as the run it continues.
     */
    @Override
    public JsonNode saveState() {
        return JSON.createObjectNode().put("loss_sum", lossSum).put("loss_count", lossCount)
                .put("seconds_sum", secondsSum).put("items_sum", itemsSum);
    }

    @Override
    public void loadState(JsonNode state) {
        lossSum = state.get("loss_sum").asDouble();
        lossCount = state.get("loss_count").asInt();
        secondsSum = state.get("seconds_sum").asDouble();
        itemsSum = state.get("items_sum").asInt();
    }

    @Override
    public void onStepEnd(LoopState state, StepResult step) {
        lossSum += step.loss();
        lossCount++;
        secondsSum += step.seconds();
        itemsSum += step.items();
        long done = state.globalStep() + 1;
        if (done % everySteps == 0) {
            ObjectNode line = line("step", state, done);
            line.put("loss", lossSum / lossCount);
            line.put("samples_per_second", itemsSum / secondsSum);
            write(line);
            lossSum = 0;
            lossCount = 0;
            secondsSum = 0;
            itemsSum = 0;
        }
    }

    @Override
    public void onEpochEnd(LoopState state, EpochResult epoch) {
        ObjectNode line = line("epoch", state, state.globalStep() + 1);
        line.put("train_loss", epoch.trainLoss());
        if (epoch.valid() != null) {
            line.put("valid_loss", epoch.valid().loss());
            line.put("valid_accuracy", epoch.valid().accuracy());
        }
        line.put("epoch_seconds", epoch.seconds());
        line.put("rss_mb", ProcessMemory.residentMegabytes());
        write(line);
    }

    @Override
    public void event(String kind, LoopState state, java.util.Map<String, ?> fields) {
        ObjectNode line = line(kind, state, state.globalStep() + 1);
        fields.forEach((key, value) -> line.set(key, JSON.valueToTree(value)));
        write(line);
    }

    /** Appends a line of any kind, for events outside the loop (the final test evaluation). */
    public void write(ObjectNode line) {
        try {
            out.write(JSON.writeValueAsString(line));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw WriteFailedException.of(file, e);
        }
    }

    /**
     * Drops the lines logged after {@code step} steps (and any final test line): what a run killed
     * after its last checkpoint logged, before a resume logs it again.
     */
    public static void truncateAfter(Path file, long step) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            java.util.List<String> kept = new java.util.ArrayList<>();
            for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                try {
                    com.fasterxml.jackson.databind.JsonNode line = JSON.readTree(text);
                    if (line.path("step").asLong() <= step && !line.path("kind").asText().equals("test")) {
                        kept.add(text);
                    }
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    // A line cut short by the kill: drop it.
                }
            }
            // Each line ended as write() ends it (BufferedWriter.newLine).
            StringBuilder text = new StringBuilder();
            kept.forEach(line -> text.append(line).append(System.lineSeparator()));
            RunDirectory.writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static ObjectNode line(String kind, LoopState state, long stepsDone) {
        ObjectNode line = JSON.createObjectNode();
        line.put("kind", kind);
        line.put("epoch", state.epoch() + 1);
        line.put("step", stepsDone);
        line.put("lr", state.learningRate());
        line.put("momentum", state.momentum());
        if (!state.groupRates().isEmpty()) {
            ArrayNode groups = line.putArray("groups");
            for (GroupRate group : state.groupRates()) {
                groups.addObject().put("name", group.name()).put("lr", group.learningRate())
                        .put("frozen", group.frozen());
            }
        }
        return line;
    }

    /** Closes the file; every line was flushed as written, so a failure here (a full disk) loses nothing. */
    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // A line that could not be flushed was reported when it was written.
        }
    }
}
