package dev.keel.trainer.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.trainer.fit.Callback;
import dev.keel.trainer.fit.EpochResult;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.StepResult;
import dev.keel.trainer.track.ProcessMemory;
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
 * {@code epoch} (1-based), {@code step} (steps completed), {@code lr} and the metrics by name.
 * Lines are flushed as written, so a crashed run keeps what it logged.
 */
public final class MetricsLog implements Callback, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;
    private final int everySteps;
    private double lossSum;
    private int lossCount;
    private double secondsSum;
    private int itemsSum;

    public MetricsLog(Path file, int everySteps) {
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        this.everySteps = everySteps;
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

    /** Appends a line of any kind, for events outside the loop (the final test evaluation). */
    public void write(ObjectNode line) {
        try {
            out.write(JSON.writeValueAsString(line));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to metrics.jsonl", e);
        }
    }

    private static ObjectNode line(String kind, LoopState state, long stepsDone) {
        ObjectNode line = JSON.createObjectNode();
        line.put("kind", kind);
        line.put("epoch", state.epoch() + 1);
        line.put("step", stepsDone);
        line.put("lr", state.learningRate());
        line.put("momentum", state.momentum());
        return line;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close metrics.jsonl", e);
        }
    }
}
