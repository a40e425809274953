package dev.keel.trainer.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.track.RunLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder under the runs root as it is now, read without trusting any of it: the run may be
 * training, killed half-way, written by an older Keel, or not a run at all.
 *
 * @param dir the folder
 * @param config {@code config.yaml}
 * @param provenance {@code provenance.json}
 * @param summary {@code summary.json}
 * @param lrFind {@code lr_find.json}
 * @param locked whether a process holds the folder's lock: it trains, resumes or sweeps there now
 */
record RunFolder(Path dir, RunFile config, RunFile provenance, RunFile summary, RunFile lrFind, boolean locked) {
    /** The files a Keel run writes first; a folder with none of them is not a run. */
    private static final List<String> RUN_FILES = List.of("config.yaml", RunLock.FILE, "provenance.json",
            "metrics.jsonl", "summary.json", "lr_find.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    static RunFolder read(Path dir) {
        return new RunFolder(dir, RunFile.yaml(dir, "config.yaml"), RunFile.json(dir, "provenance.json"),
                RunFile.json(dir, "summary.json"), RunFile.json(dir, "lr_find.json"), LockProbe.held(dir));
    }

    /** The run's id: its folder's name. */
    String id() {
        return dir.getFileName().toString();
    }

    /** Whether Keel wrote here: the folder holds at least one of the files a run starts with. */
    boolean isRun() {
        return RUN_FILES.stream().anyMatch(name -> Files.exists(dir.resolve(name)));
    }

    /**
     * Whether {@code lr-find} made it rather than {@code train}, by its command line or else its
     * name: a training run with {@code lr: auto} holds lr_find.json too.
     */
    boolean isLrFind() {
        JsonNode command = provenance.at("/command_line/0");
        return command.isTextual() ? command.asText().equals("lr-find") : id().endsWith("-lr-find");
    }

    /** The config's {@code name}; null when config.yaml lacks one or cannot be read. */
    String configName() {
        JsonNode name = config.at("/name");
        return name.isValueNode() && !name.isNull() ? name.asText() : null;
    }

    /** When the run started, from provenance.json; null when it does not say. */
    Instant started() {
        try {
            JsonNode started = provenance.at("/started");
            return started.isTextual() ? Instant.parse(started.asText()) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The values of summary.json. */
    RunSummary values() {
        return RunSummary.of(summary.json());
    }

    /**
     * How long the run took: summary.json's training time, summed over every process that trained
     * it (its wall time where it records none), or the sweep's time of an lr-find run; null when unknown.
     */
    Double seconds() {
        if (isLrFind()) {
            return RunSummary.number(lrFind.at("/seconds"));
        }
        RunSummary summary = values();
        return summary.trainSeconds() != null ? summary.trainSeconds() : summary.wallSeconds();
    }

    /**
     * The training loss of the last epoch in metrics.jsonl; null when it has none. Lines that are
     * not JSON (a run killed mid-line) are passed over.
     */
    Double finalTrainLoss() {
        Path file = dir.resolve("metrics.jsonl");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Double last = null;
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines::iterator) {
                JsonNode event = parse(line);
                if (event != null && "epoch".equals(event.path("kind").asText())) {
                    Double loss = RunSummary.number(event.path("train_loss"));
                    last = loss != null ? loss : last;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return last; // what could be read
        }
        return last;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
    }
}
