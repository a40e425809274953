package dev.keel.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.datasets.fingerprint.Sha256;
import dev.keel.registry.store.RegistryStore;
import dev.keel.registry.store.Stage;
import dev.keel.registry.store.Transition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keel compare} on real runs and a real registry file: a clearly better challenger is
 * promoted with the comparison as the reason; a worse or equal one changes nothing.
 */
class CompareTest {
    @TempDir
    static Path shared;
    static Path good;
    static Path shuffled;
    static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() throws IOException {
        good = ComparedRuns.good(shared.resolve("good"), 6);
        shuffled = ComparedRuns.shuffled(shared.resolve("shuffled"));
        data = ComparedRuns.table(shared.resolve("labelled.csv"), 400, 21, false, false);
    }

    private Path registryWithProduction(Path run) {
        Path db = dir.resolve("registry.db");
        Cli.Result register = Cli.keel(db, "registry", "register", run.toString(), "--name", "fraud", "--registry",
                db.toString());
        assertEquals(0, register.exit(), register.all());
        Cli.Result promote = Cli.keel(db, "registry", "promote", "fraud", "1", "--to", "production", "--reason",
                "first model", "--registry", db.toString());
        assertEquals(0, promote.exit(), promote.all());
        return db;
    }

    @Test
    void aBetterChallengerIsPromotedWithTheComparisonAsReason() throws IOException {
        Path db = registryWithProduction(shuffled);
        Path json = dir.resolve("comparison.json");
        Cli.Result result = Cli.keel(db, "compare", "fraud@production", good.toString(), "--data", data.toString(),
                "--promote", "--out", json.toString());
        assertEquals(0, result.exit(), result.all());
        assertTrue(result.out().contains("challenger better"), result.all());
        assertTrue(result.out().contains("as fraud version 2 and promoted it to production"), result.all());

        JsonNode written = new ObjectMapper().readTree(json.toFile());
        assertEquals("better", written.path("verdict").asText());
        assertEquals(400, written.path("data").path("items").asInt());
        int b = written.path("mcnemar").path("b").asInt();
        int c = written.path("mcnemar").path("c").asInt();
        int championRight = written.path("champion").path("correct").asInt();
        int challengerRight = written.path("challenger").path("correct").asInt();
        assertEquals(challengerRight - championRight, c - b, "c - b is the difference in items right");
        assertTrue(written.path("challenger").path("accuracy").asDouble() > 0.85, written.toString());
        assertTrue(written.path("mcnemar").path("exact_p").asDouble() < 0.05, written.toString());
        assertEquals(2, written.path("challenger").path("per_class").size());

        try (RegistryStore store = RegistryStore.open(db, false)) {
            assertEquals(2, store.resolve("fraud", "production").version());
            assertEquals(Stage.ARCHIVED, store.resolve("fraud", "1").stage());
            List<Transition> history = store.history("fraud");
            Transition promotion = history.get(history.size() - 1);
            assertEquals("promote", promotion.action());
            assertEquals(2, promotion.version());
            assertEquals(Stage.PRODUCTION, promotion.to());
            String reason = promotion.reason();
            assertTrue(reason.startsWith("keel compare: challenger better: accuracy "), reason);
            assertTrue(reason.contains("b=" + b + " c=" + c), reason);
            assertTrue(reason.contains("McNemar exact p="), reason);
            assertTrue(reason.contains("sha256 " + Sha256.ofFile(data)), reason);
            assertEquals(written.path("summary").asText(), reason);
            Transition archiving = history.get(history.size() - 2);
            assertEquals("archive", archiving.action());
            assertEquals(1, archiving.version());
            assertEquals("register", history.get(history.size() - 3).action());
        }
    }

    @Test
    void aBetterRegisteredChallengerIsPromotedAsItIs() {
        Path db = registryWithProduction(shuffled);
        Cli.Result register = Cli.keel(db, "registry", "register", good.toString(), "--name", "fraud", "--registry",
                db.toString());
        assertEquals(0, register.exit(), register.all());
        Cli.Result result = Cli.keel(db, "compare", "fraud@production", "fraud@2", "--data", data.toString(),
                "--promote");
        assertEquals(0, result.exit(), result.all());
        assertTrue(result.out().contains("promoted fraud version 2 to production"), result.all());
        try (RegistryStore store = RegistryStore.open(db, false)) {
            assertEquals(2, store.versions("fraud").size(), "no version is registered again");
            assertEquals(2, store.resolve("fraud", "production").version());
            List<Transition> history = store.history("fraud");
            Transition promotion = history.get(history.size() - 1);
            assertEquals("promote", promotion.action());
            assertTrue(promotion.reason().startsWith("keel compare: challenger better"), promotion.reason());
        }
    }

    @Test
    void aChampionThatNoLongerHoldsProductionStopsThePromotion() {
        Path db = registryWithProduction(shuffled);
        assertEquals(0, Cli.keel(db, "registry", "register", shuffled.toString(), "--name", "fraud", "--registry",
                db.toString()).exit());
        assertEquals(0, Cli.keel(db, "registry", "promote", "fraud", "2", "--to", "production", "--registry",
                db.toString()).exit());
        Cli.Result result = Cli.keel(db, "compare", "fraud@1", good.toString(), "--data", data.toString(),
                "--promote");
        assertEquals(2, result.exit(), result.all());
        assertTrue(result.out().contains("challenger better"), result.all());
        assertTrue(result.err().contains("fraud version 1 does not hold production (version 2 does)"), result.all());
        try (RegistryStore store = RegistryStore.open(db, false)) {
            assertEquals(2, store.versions("fraud").size(), "nothing was registered");
            assertEquals(2, store.resolve("fraud", "production").version());
        }
    }

    @Test
    void aWorseChallengerIsNotPromotedAndTheRegistryIsUnchanged() throws IOException {
        Path db = registryWithProduction(good);
        List<Transition> before;
        try (RegistryStore store = RegistryStore.open(db, false)) {
            before = store.history("fraud");
        }
        byte[] fileBefore = Files.readAllBytes(db);
        Cli.Result result = Cli.keel(db, "compare", "fraud@production", shuffled.toString(), "--data",
                data.toString(), "--promote");
        assertEquals(0, result.exit(), result.all());
        assertTrue(result.out().contains("challenger not better (worse)"), result.all());
        assertTrue(result.out().contains("not promoted"), result.all());
        try (RegistryStore store = RegistryStore.open(db, false)) {
            assertEquals(before, store.history("fraud"));
            assertEquals(1, store.versions("fraud").size());
            assertEquals(1, store.resolve("fraud", "production").version());
        }
        assertTrue(java.util.Arrays.equals(fileBefore, Files.readAllBytes(db)), "the registry file changed");
    }

    @Test
    void anEqualChallengerIsNoSignificantDifferenceAndNothingIsRegistered() throws IOException {
        Path db = dir.resolve("registry.db");
        Path json = dir.resolve("same.json");
        Cli.Result result = Cli.keel(db, "compare", good.toString(), good.toString(), "--data", data.toString(),
                "--promote", "--name", "fraud", "--out", json.toString());
        assertEquals(0, result.exit(), result.all());
        assertTrue(result.out().contains("challenger no significant difference"), result.all());
        assertTrue(result.out().contains("not promoted"), result.all());
        JsonNode written = new ObjectMapper().readTree(json.toFile());
        assertEquals(0, written.path("mcnemar").path("b").asInt());
        assertEquals(0, written.path("mcnemar").path("c").asInt());
        assertEquals(1.0, written.path("mcnemar").path("exact_p").asDouble());
        assertFalse(Files.exists(db), "no registry file is created when nothing is promoted");
    }
}
