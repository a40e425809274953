package dev.keel.trainer.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.trainer.engine.IsaChoice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run directory's records come out with the names, order and numbers the files have always had. */
class RunRecordTest {
    @TempDir
    Path temp;

    @Test
    void aCompletedSummaryListsItsFieldsInTheContractsOrder() throws IOException {
        try (RunDirectory dir = RunDirectory.create(temp, "r", temp.resolve("run"), List.of())) {
            new RunRecord(dir).writeSummary(new RunRecord.Summary("completed", 5, 350L, 38.5, 33.25,
                    new RunRecord.Scores(0.896, 0.2695), new RunRecord.Scores(0.88, 0.3166), null));
            assertEquals("""
                    {
                      "status" : "completed",
                      "epochs" : 5,
                      "steps" : 350,
                      "wall_seconds" : 38.5,
                      "train_seconds" : 33.25,
                      "valid" : {
                        "accuracy" : 0.896,
                        "loss" : 0.2695
                      },
                      "test" : {
                        "accuracy" : 0.88,
                        "loss" : 0.3166
                      }
                    }
                    """, Files.readString(dir.root().resolve(RunRecord.SUMMARY)));
            assertEquals(350L, RunRecord.readSummary(dir.root()).orElseThrow().steps());
        }
    }

    @Test
    void aSummaryOfARunThatNeverTrainedHasNoTrainingTimeAndGivesItsReason() throws IOException {
        try (RunDirectory dir = RunDirectory.create(temp, "r", temp.resolve("run"), List.of())) {
            new RunRecord(dir).writeSummary(new RunRecord.Summary("failed", 0, 0, 1.5, null, null, null, "disk full"));
            assertEquals("""
                    {
                      "status" : "failed",
                      "epochs" : 0,
                      "steps" : 0,
                      "wall_seconds" : 1.5,
                      "reason" : "disk full"
                    }
                    """, Files.readString(dir.root().resolve(RunRecord.SUMMARY)));
        }
    }

    @Test
    void theModelDescriptionPutsTheTransformsKeysBetweenTheInputShapeAndTheClasses() throws IOException {
        try (RunDirectory dir = RunDirectory.create(temp, "r", temp.resolve("run"), List.of())) {
            ObjectNode transform = RunDirectory.JSON.createObjectNode();
            transform.putObject("normalize").put("kind", "mean_std");
            ObjectNode model = RunDirectory.JSON.createObjectNode().put("arch", "torchscript").put("pretrained", "f.pt");
            dir.modelDir(); // the model's parameters are saved there first
            new RunRecord(dir).writeModelDescription(new RunRecord.ModelDescription("model", model,
                    new RunRecord.Transfer("f.pt", "TorchScript f.pt", new long[] {1, 32}), new long[] {1, 28, 28},
                    transform, List.of("a", "b")));
            String json = Files.readString(dir.root().resolve(RunRecord.MODEL_DESCRIPTION));
            List<String> keys = List.of("\"name\"", "\"model\"", "\"transfer\"", "\"body_output\"", "\"input_shape\"",
                    "\"normalize\"", "\"classes\"");
            for (int i = 1; i < keys.size(); i++) {
                assertTrue(json.indexOf(keys.get(i - 1)) < json.indexOf(keys.get(i)), keys.get(i) + " in " + json);
            }
            assertEquals(List.of("a", "b"), RunDirectory.JSON.convertValue(
                    RunDirectory.JSON.readTree(json).get("classes"), List.class));
        }
    }

    @Test
    void metricsLinesAndResumesKeepTheirKeys() throws IOException {
        assertEquals("{\"kind\":\"test\",\"epoch\":5,\"step\":350,\"lr\":1.0E-4,\"test_loss\":0.3,\"test_accuracy\":0.9}",
                RunRecord.line(new RunRecord.TestLine(5, 350, 1e-4, 0.3, 0.9)).toString());
        assertEquals("{\"kind\":\"lr_find\",\"epoch\":0,\"step\":0,\"lr\":0.01,\"suggested_by\":\"valley\",\"steep\":0.002,"
                + "\"minimum_div_10\":0.003,\"sweep_steps\":90,\"stop\":\"diverged\",\"seconds\":4.5}",
                RunRecord.line(new RunRecord.LrFindLine(0.01, "valley", 0.002, 0.003, 90, "diverged", 4.5)).toString());
        try (RunDirectory dir = RunDirectory.create(temp, "r", temp.resolve("run"), List.of())) {
            RunRecord record = new RunRecord(dir);
            record.writeProvenance(RunDirectory.JSON.createObjectNode().put("seed", 1));
            record.addResume(200, "step-200", new IsaChoice("AVX2", "why"));
            record.recordLearningRate(0.01, "lr_find valley");
            String provenance = Files.readString(dir.root().resolve(RunRecord.PROVENANCE));
            ObjectNode json = (ObjectNode) RunDirectory.JSON.readTree(provenance);
            assertEquals(List.of("time", "from_step", "checkpoint", IsaChoice.PROVENANCE_VALUE,
                    IsaChoice.PROVENANCE_REASON), iterate(json.get("resumes").get(0)));
            assertEquals(200, json.get("resumes").get(0).get("from_step").asLong());
            assertEquals(List.of("seed", "resumes", "lr", "lr_source"), iterate(json));
        }
    }

    private static List<String> iterate(com.fasterxml.jackson.databind.JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
