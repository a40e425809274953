package dev.keel.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.registry.resolve.RegistryResolver;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.predict.ModelReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keel predict NAME@production INPUT} from the registry's command line: the reference
 * resolves to the version's run after its files are checked, and predicts as the run directory
 * would; a file changed or removed after registration, or a deleted version, is refused by name.
 */
class RegistryPredictTest {
    @TempDir
    static Path runs;
    static Path finished;

    @TempDir
    Path temp;

    @BeforeAll
    static void train() throws Exception {
        finished = TinyRuns.train(runs.resolve("finished"), 5);
    }

    private static void assertRefused(Cli.Result result, String expected) {
        assertEquals(2, result.exit(), result.all());
        assertEquals(1, result.err().strip().lines().count(), result.all());
        assertTrue(result.err().startsWith("keel: ") && result.err().contains(expected),
                "expected \"" + expected + "\" in\n" + result.all());
        assertFalse(result.err().contains("Exception"), result.all());
    }

    @Test
    void productionReferencePredictsAsTheRunDirectoryDoes() throws Exception {
        Path db = temp.resolve("registry.db");
        assertEquals(0, Cli.registry(db, "register", finished.toString(), "--name", "table").exit());
        assertEquals(0, Cli.registry(db, "promote", "table", "1", "--to", "production").exit());
        assertEquals(0, Cli.registry(db, "alias", "table", "1", "champion").exit());
        Path rows = Files.writeString(temp.resolve("rows.csv"), "x1,x2\n0.95,0.90\n0.05,0.10\n");

        Cli.Result byStage = Cli.keel(db, "predict", "table@production", rows.toString());
        assertEquals(0, byStage.exit(), byStage.all());
        List<String> lines = byStage.out().lines().filter(l -> l.contains("\t")).toList();
        assertEquals(2, lines.size(), byStage.all());
        Cli.Result byRun = Cli.keel(db, "predict", finished.toString(), rows.toString());
        assertEquals(byRun.out().lines().filter(l -> l.contains("\t")).toList(), lines);
        assertEquals(lines, Cli.keel(db, "predict", "table@champion", rows.toString()).out().lines()
                .filter(l -> l.contains("\t")).toList());

        ModelReference reference = new RegistryResolver(() -> db).resolve("table@1");
        assertEquals(finished.toAbsolutePath().normalize(), reference.runDir());
        assertEquals("table", reference.registryVersion().path("name").asText());
        assertEquals(1, reference.registryVersion().path("version").asInt());
        assertEquals("production", reference.registryVersion().path("stage").asText());
        assertEquals("champion", reference.registryVersion().path("aliases").path(0).asText());
        assertTrue(reference.registryVersion().path("hashes").has("provenance.json"));
        assertTrue(reference.registryVersion().at("/metrics/test/accuracy").isNumber());
    }

    @Test
    void changedOrMissingFilesAndDeletedVersionsAreRefused() throws Exception {
        Path run = TinyRuns.copy(finished, temp.resolve("copy"));
        Path db = temp.resolve("registry.db");
        assertEquals(0, Cli.registry(db, "register", run.toString(), "--name", "table").exit());
        assertEquals(0, Cli.registry(db, "promote", "table", "1", "--to", "production").exit());
        Path rows = Files.writeString(temp.resolve("rows.csv"), "x1,x2\n0.95,0.90\n");

        Path params = TinyRuns.paramsFile(run);
        byte[] original = Files.readAllBytes(params);
        Files.write(params, new byte[] {0}, StandardOpenOption.APPEND);
        assertRefused(Cli.keel(db, "predict", "table@production", rows.toString()),
                params + " changed after it was registered");

        Files.write(params, original);
        Path provenance = run.resolve("provenance.json");
        Files.move(provenance, temp.resolve("provenance.json"));
        assertRefused(Cli.keel(db, "predict", "table@1", rows.toString()), provenance + " is missing");
        Files.move(temp.resolve("provenance.json"), provenance);
        assertEquals(0, Cli.keel(db, "predict", "table@production", rows.toString()).exit());

        assertEquals(0, Cli.registry(db, "delete", "table", "1").exit());
        assertRefused(Cli.keel(db, "predict", "table@1", rows.toString()), "version 1 of table was deleted");
        assertRefused(Cli.keel(db, "predict", "table@production", rows.toString()),
                "no version of table is in production");
        ConfigException unknown = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> new RegistryResolver(() -> db).resolve("other@production"));
        assertTrue(unknown.getMessage().contains("no model named \"other\""), unknown.getMessage());
    }
}
