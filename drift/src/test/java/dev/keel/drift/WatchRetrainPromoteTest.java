package dev.keel.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.registry.store.RegistryStore;
import dev.keel.registry.store.Transition;
import dev.keel.trainer.api.Keel;
import dev.keel.trainer.run.RunOutcome;
import dev.keel.trainer.session.RunOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop of watching a model, end to end through the commands a user types: a model trained on one
 * part of a table is in production; new data whose {@code x1} moved (and whose labels moved with it)
 * is found drifted (exit code 4); a run retrained on the new data is compared with production on
 * labelled new data and promoted, because it is better, with the comparison in the registry's
 * history; the old model, compared back, is not promoted.
 */
class WatchRetrainPromoteTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void driftFoundRetrainedModelPromotedOnlyBecauseItIsBetter() throws IOException {
        Path db = dir.resolve("registry.db");
        Path before = TinyTableRuns.writeTable(dir.resolve("before.csv"), 400, 1, 0, true);
        Path config = Files.writeString(dir.resolve("table.yaml"), """
                name: table
                seed: 4
                device: cpu
                data: {format: csv, path: %s, label_column: label, batch_size: 32}
                model: {arch: tabular-mlp, hidden: [16], dropout: 0}
                optimizer: {lr: 0.01}
                train: {epochs: 6}
                """.formatted(before));
        Path first = train(config, List.of(), dir.resolve("first"));
        assertEquals(0, Cli.keel(db, "registry", "register", first.toString(), "--name", "table", "--registry",
                db.toString()).exit());
        assertEquals(0, Cli.keel(db, "registry", "promote", "table", "1", "--to", "production", "--registry",
                db.toString()).exit());

        // x1 moves by one standard deviation, and the label moves with it.
        Path after = TinyTableRuns.writeTable(dir.resolve("after.csv"), 400, 2, 1.0, true);
        Path settings = Files.writeString(dir.resolve("drift.yaml"), "drift: {share: 0.25}\n");
        Cli.Result drift = Cli.keel(db, "drift", "table@production", after.toString(), "--config", settings.toString(),
                "--out", dir.resolve("drift-report").toString());
        assertEquals(4, drift.exit(), drift.all());
        JsonNode columns = JSON.readTree(dir.resolve("drift-report/drift.json").toFile()).path("sections")
                .path("table").path("columns");
        assertEquals("x1", columns.get(0).path("column").asText());
        assertTrue(columns.get(0).path("drifted").asBoolean(), columns.toString());

        Path retrained = train(config, List.of("data.path=" + after), dir.resolve("retrained"));
        Path labelled = TinyTableRuns.writeTable(dir.resolve("after-labelled.csv"), 300, 3, 1.0, true);
        Cli.Result compare = Cli.keel(db, "compare", "table@production", retrained.toString(), "--data",
                labelled.toString(), "--promote");
        assertEquals(0, compare.exit(), compare.all());
        assertTrue(compare.out().contains("as table version 2 and promoted it to production"), compare.all());

        Cli.Result back = Cli.keel(db, "compare", "table@production", first.toString(), "--data", labelled.toString(),
                "--promote", "--name", "table");
        assertEquals(0, back.exit(), back.all());
        try (RegistryStore store = RegistryStore.open(db, false)) {
            assertEquals(2, store.resolve("table", "production").version(), "the old model was not promoted back");
            assertEquals(2, store.versions("table").size(), "nor registered again");
            List<Transition> history = store.history("table");
            Transition promotion = history.get(history.size() - 1);
            assertEquals("promote", promotion.action());
            assertEquals(2, promotion.version());
            assertTrue(promotion.reason().startsWith("keel compare: challenger better: accuracy "),
                    promotion.reason());
        }
    }

    private static Path train(Path config, List<String> overrides, Path runDir) {
        RunOutcome outcome = Keel.train(config, overrides, RunOptions.defaults().withRunDir(runDir)
                .withOut(new PrintStream(OutputStream.nullOutputStream()), false));
        assertEquals(0, outcome.exitCode());
        return runDir;
    }
}
