package dev.keel.trainer.track;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.engine.IsaChoice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run directory's JSON and YAML records, written from and read into Java records through
 * Jackson: config.yaml, provenance.json (with its resumes and the rate {@code lr: auto} chose),
 * summary.json, {@code model/keel-model.json}, and the lines of metrics.jsonl that come from
 * outside the loop (the test evaluation, the learning-rate sweep). The files' layout is a
 * contract (docs/run-directory.md): property order and names here are the files'.
 */
public final class RunRecord {
    /** summary.json. */
    public static final String SUMMARY = "summary.json";
    /** provenance.json. */
    public static final String PROVENANCE = "provenance.json";
    /** config.yaml: the resolved config, every default filled in. */
    public static final String CONFIG = "config.yaml";
    /** The model's description beside its parameters. */
    public static final String MODEL_DESCRIPTION = "model/keel-model.json";

    private final RunDirectory dir;

    public RunRecord(RunDirectory dir) {
        this.dir = dir;
    }

    /**
     * summary.json: how the run ended.
     *
     * @param status {@code completed}, {@code stopped}, {@code failed} or {@code interrupted}
     * @param trainSeconds the loop's own time; null when the loop did not run
     * @param valid the last validation, or null
     * @param test the final test evaluation, or null when the run did not complete
     * @param reason why it stopped, failed or was interrupted; null when it completed
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"status", "epochs", "steps", "wall_seconds", "train_seconds", "valid", "test", "reason"})
    public record Summary(String status, int epochs, long steps, @JsonProperty("wall_seconds") double wallSeconds,
            @JsonProperty("train_seconds") Double trainSeconds, Scores valid, Scores test, String reason) {}

    /** Accuracy and mean loss on a split. */
    @JsonPropertyOrder({"accuracy", "loss"})
    public record Scores(double accuracy, double loss) {}

    /**
     * {@code model/keel-model.json}: what a prediction needs besides the parameters.
     *
     * @param name the parameter file's name, {@code model/<name>-NNNN.params}
     * @param model the architecture, as the config's {@code model} section describes it
     * @param transfer where a fine-tuned model's body came from; null for a model trained from scratch
     * @param inputShape one item's shape
     * @param transform the fitted input transform (normalisation, table encoders), its keys written at the top level
     * @param classes one name per class index
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"name", "model", "transfer", "input_shape"})
    public record ModelDescription(String name, JsonNode model, Transfer transfer,
            @JsonProperty("input_shape") long[] inputShape, @JsonIgnore ObjectNode transform,
            @JsonIgnore List<String> classes) {

        /** The transform's keys, then {@code classes}: Jackson writes these after the properties above. */
        @JsonAnyGetter
        Map<String, Object> transformAndClasses() {
            Map<String, Object> tail = new LinkedHashMap<>();
            transform.fields().forEachRemaining(field -> tail.put(field.getKey(), field.getValue()));
            tail.put("classes", classes);
            return tail;
        }
    }

    /**
     * A fine-tuned model's origin.
     *
     * @param pretrained {@code model.pretrained} as configured
     * @param network what the network is, in words
     * @param bodyOutput the shape the body gives the head
     */
    @JsonPropertyOrder({"pretrained", "network", "body_output"})
    public record Transfer(String pretrained, String network, @JsonProperty("body_output") long[] bodyOutput) {}

    /** The metrics.jsonl line of the final evaluation on the test split. */
    @JsonPropertyOrder({"kind", "epoch", "step", "lr", "test_loss", "test_accuracy"})
    public record TestLine(String kind, int epoch, long step, double lr, @JsonProperty("test_loss") double testLoss,
            @JsonProperty("test_accuracy") double testAccuracy) {
        public TestLine(int epoch, long step, double lr, double testLoss, double testAccuracy) {
            this("test", epoch, step, lr, testLoss, testAccuracy);
        }
    }

    /** The metrics.jsonl line of the sweep that chose the rate of an {@code lr: auto} run. */
    @JsonPropertyOrder({"kind", "epoch", "step", "lr", "suggested_by", "steep", "minimum_div_10", "sweep_steps", "stop",
            "seconds"})
    public record LrFindLine(String kind, int epoch, long step, double lr, @JsonProperty("suggested_by") String suggestedBy,
            double steep, @JsonProperty("minimum_div_10") double minimumDiv10,
            @JsonProperty("sweep_steps") int sweepSteps, String stop, double seconds) {
        public LrFindLine(double lr, String suggestedBy, double steep, double minimumDiv10, int sweepSteps, String stop,
                double seconds) {
            this("lr_find", 0, 0, lr, suggestedBy, steep, minimumDiv10, sweepSteps, stop, seconds);
        }
    }

    /** One entry of provenance.json's {@code resumes}: when, from where, under which oneDNN cap. */
    @JsonPropertyOrder({"time", "from_step", "checkpoint", IsaChoice.PROVENANCE_VALUE, IsaChoice.PROVENANCE_REASON})
    record Resume(String time, @JsonProperty("from_step") long fromStep, String checkpoint,
            @JsonProperty(IsaChoice.PROVENANCE_VALUE) String isa,
            @JsonProperty(IsaChoice.PROVENANCE_REASON) String isaReason) {}

    /** Writes config.yaml. */
    public void writeConfig(RunConfig config) {
        dir.writeText(CONFIG, ConfigLoader.toYaml(config));
    }

    /** Writes provenance.json as a run starts. */
    public void writeProvenance(ObjectNode provenance) {
        dir.writeJson(PROVENANCE, provenance);
    }

    /** Whether provenance.json was written (a run stopped before writing it has to write it again). */
    public boolean hasProvenance() {
        return Files.isRegularFile(dir.root().resolve(PROVENANCE));
    }

    /**
     * Adds a resume to provenance.json, with the oneDNN cap this process runs under: a resume can run
     * on another machine or with another environment than the run's start.
     *
     * @param checkpoint the checkpoint's folder name, or null for a run started over
     */
    public void addResume(long fromStep, String checkpoint, IsaChoice isa) {
        ObjectNode provenance = hasProvenance() ? readProvenance() : RunDirectory.JSON.createObjectNode();
        JsonNode resumes = provenance.get("resumes");
        ArrayNode list = resumes instanceof ArrayNode a ? a : provenance.putArray("resumes");
        list.add(RunDirectory.JSON.valueToTree(
                new Resume(Instant.now().toString(), fromStep, checkpoint, isa.value(), isa.reason())));
        writeProvenance(provenance);
    }

    /**
     * Records in provenance.json's newest resume the training time of the process that resumed
     * the run ({@code train_seconds}); summary.json holds the run's sum. A run never resumed has
     * no resumes: nothing is recorded.
     */
    public void recordResumeTrainingTime(double seconds) {
        ObjectNode provenance = readProvenance();
        JsonNode resumes = provenance.get("resumes");
        if (resumes instanceof ArrayNode list && !list.isEmpty() && list.get(list.size() - 1) instanceof ObjectNode last) {
            last.put("train_seconds", seconds);
            writeProvenance(provenance);
        }
    }

    /** Records in provenance.json the rate an {@code lr: auto} run trains with, and where it came from. */
    public void recordLearningRate(double lr, String source) {
        ObjectNode provenance = readProvenance();
        provenance.put("lr", lr);
        provenance.put("lr_source", source);
        writeProvenance(provenance);
    }

    private ObjectNode readProvenance() {
        Path file = dir.root().resolve(PROVENANCE);
        try {
            return (ObjectNode) RunDirectory.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Writes summary.json. */
    public void writeSummary(Summary summary) {
        dir.writeJson(SUMMARY, RunDirectory.JSON.valueToTree(summary));
    }

    /** {@code runDir}'s summary.json; empty when there is none or it cannot be read (a summary cut short). */
    public static Optional<Summary> readSummary(Path runDir) {
        Path file = runDir.resolve(SUMMARY);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(RunDirectory.JSON.readValue(file.toFile(), Summary.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Writes {@code model/keel-model.json}. */
    public void writeModelDescription(ModelDescription description) {
        dir.writeJson(MODEL_DESCRIPTION, RunDirectory.JSON.valueToTree(description));
    }

    /** A record as a metrics.jsonl line. */
    public static ObjectNode line(Record line) {
        return RunDirectory.JSON.valueToTree(line);
    }
}
