package dev.keel.registry.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.registry.TinyRuns;
import dev.keel.registry.run.FinishedRun;
import dev.keel.trainer.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RegistryStore#registerAndPromote}: a registration and a promotion as one change, with its reason. */
class RegisterAndPromoteTest {
    @TempDir
    Path temp;

    @Test
    void registersPromotesAndArchivesTheHolderInOneRecordedChange() throws Exception {
        FinishedRun first = FinishedRun.read(TinyRuns.train(temp.resolve("first"), 1));
        FinishedRun second = FinishedRun.read(TinyRuns.train(temp.resolve("second"), 2));
        try (RegistryStore store = RegistryStore.open(temp.resolve("registry.db"), true)) {
            assertEquals(1, store.registerAndPromote("table", first.runDir().toString(), first.record(), null,
                    Map.of(), Stage.PRODUCTION, null, "ana", "first model"));
            assertEquals(2, store.registerAndPromote("table", second.runDir().toString(), second.record(), "better",
                    Map.of("team", "risk"), Stage.PRODUCTION, 1, "ben", "it wins"));

            assertEquals(2, store.resolve("table", "production").version());
            assertEquals(Stage.ARCHIVED, store.resolve("table", "1").stage());
            assertEquals(Map.of("team", "risk"), store.resolve("table", "2").tags());
            List<Transition> history = store.history("table");
            assertEquals(List.of("register", "promote", "register", "archive", "promote"),
                    history.stream().map(Transition::action).toList());
            Transition last = history.get(4);
            assertEquals(2, last.version());
            assertEquals(Stage.NONE, last.from());
            assertEquals("ben", last.user());
            assertEquals("it wins", last.reason());
            assertEquals("replaced in production by version 2", history.get(3).reason());
        }
    }

    @Test
    void aVersionThatNoLongerHoldsTheStageStopsTheWholeChange() throws Exception {
        FinishedRun run = FinishedRun.read(TinyRuns.train(temp.resolve("run"), 1));
        try (RegistryStore store = RegistryStore.open(temp.resolve("registry.db"), true)) {
            store.registerAndPromote("table", run.runDir().toString(), run.record(), null, Map.of(), Stage.PRODUCTION,
                    null, "ana", "first");
            store.register("table", run.runDir().toString(), run.record(), null, Map.of(), "ana");
            store.promote("table", 2, Stage.PRODUCTION, "ana", "meanwhile");
            List<Transition> before = store.history("table");
            ConfigException refused = assertThrows(ConfigException.class, () -> store.registerAndPromote("table",
                    run.runDir().toString(), run.record(), null, Map.of(), Stage.PRODUCTION, 1, "ben", "judged"));
            assertTrue(refused.getMessage().contains("version 1 does not hold production (version 2 does)"),
                    refused.getMessage());
            assertThrows(ConfigException.class, () -> store.promote("table", 1, Stage.PRODUCTION, 3, "ben", "no"));
            assertEquals(before, store.history("table"));
            assertEquals(2, store.versions("table").size(), "the registration was rolled back with the promotion");
        }
    }

    @Test
    void aStageWithoutOneHolderIsRefusedBeforeAnythingIsWritten() throws Exception {
        FinishedRun run = FinishedRun.read(TinyRuns.train(temp.resolve("run"), 1));
        Path db = temp.resolve("registry.db");
        try (RegistryStore store = RegistryStore.open(db, true)) {
            assertThrows(ConfigException.class, () -> store.registerAndPromote("table", run.runDir().toString(),
                    run.record(), null, Map.of(), Stage.ARCHIVED, null, "ana", "no"));
            assertEquals(List.of(), store.models());
        }
    }
}
