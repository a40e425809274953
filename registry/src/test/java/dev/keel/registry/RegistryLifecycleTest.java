package dev.keel.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.registry.store.RegisteredVersion;
import dev.keel.registry.store.RegistryStore;
import dev.keel.registry.store.Stage;
import dev.keel.registry.store.Transition;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model's life through {@code keel registry}, on two finished runs Keel trains on tiny tables. */
class RegistryLifecycleTest {
    @TempDir
    static Path runs;
    static Path first;
    static Path second;

    @TempDir
    Path temp;

    @BeforeAll
    static void train() throws Exception {
        first = TinyRuns.train(runs.resolve("first"), 1);
        second = TinyRuns.train(runs.resolve("second"), 2);
    }

    @Test
    void promotionsArchiveTheHolderHistoryAnswersForAnyMomentAndNumbersAreNeverReused() throws Exception {
        Path db = temp.resolve("registry.db");
        Cli.Result v1 = Cli.registry(db, "register", first.toString(), "--name", "table", "--description", "first",
                "--tag", "team=risk");
        assertEquals(0, v1.exit(), v1.all());
        assertTrue(v1.out().contains("registered table version 1"), v1.all());
        assertEquals(0, Cli.registry(db, "register", second.toString(), "--name", "table").exit());

        assertEquals(0, Cli.registry(db, "promote", "table", "1", "--to", "production", "--reason", "first").exit());
        Thread.sleep(20);
        Instant between = Instant.now();
        Thread.sleep(20);
        Cli.Result promoted = Cli.registry(db, "promote", "table", "2", "--to", "production");
        assertEquals(0, promoted.exit(), promoted.all());

        try (RegistryStore store = RegistryStore.open(db, false)) {
            List<RegisteredVersion> versions = store.versions("table");
            assertEquals(Stage.ARCHIVED, versions.get(0).stage());
            assertEquals(Stage.PRODUCTION, versions.get(1).stage());
            assertEquals(List.of(1), store.holdersAt("table", between).stages().get(Stage.PRODUCTION));
            assertEquals(List.of(2), store.holdersAt("table", Instant.now()).stages().get(Stage.PRODUCTION));
            List<Transition> history = store.history("table");
            assertEquals(List.of("register", "register", "promote", "archive", "promote"),
                    history.stream().map(Transition::action).toList());
            Transition archived = history.get(3);
            assertEquals(1, archived.version());
            assertEquals(Stage.PRODUCTION, archived.from());
            assertEquals(Stage.ARCHIVED, archived.to());
            // What registration recorded of the run.
            RegisteredVersion one = versions.get(0);
            assertEquals(first.toAbsolutePath().normalize().toString(), one.runDir());
            assertEquals("first", one.description());
            assertEquals("risk", one.tags().get("team"));
            assertEquals("completed", one.record().path("status").asText());
            assertTrue(one.record().at("/metrics/test/accuracy").isNumber(), one.record().toString());
            assertTrue(one.record().path("hashes").has("provenance.json"));
            assertTrue(one.record().path("hashes").has("model/manifest.json"));
            assertTrue(one.record().path("config").asText().contains("tabular-mlp"));
            assertTrue(one.record().at("/versions/djl").asText().startsWith("0.36"));
            assertTrue(one.record().path("dataset").isObject());
        }

        Cli.Result at = Cli.registry(db, "history", "table", "--at", between.toString());
        assertEquals(0, at.exit(), at.all());
        assertTrue(at.out().lines().anyMatch(l -> l.matches("\\s*production\\s+1")), at.all());

        assertEquals(0, Cli.registry(db, "delete", "table", "2", "--reason", "leaked labels").exit());
        Cli.Result shown = Cli.registry(db, "show", "table@2");
        assertEquals(0, shown.exit(), shown.all());
        assertTrue(shown.out().contains("deleted"), shown.all());
        Cli.Result again = Cli.registry(db, "register", second.toString(), "--name", "table");
        assertTrue(again.out().contains("registered table version 3"), again.all());

        Cli.Result history = Cli.registry(db, "history", "table");
        assertEquals(0, history.exit(), history.all());
        List<String> lines = history.out().lines().toList();
        assertEquals(8, lines.size(), history.all()); // a header and seven transitions
        assertTrue(lines.get(6).contains("delete") && lines.get(6).contains("leaked labels"), history.all());
        try (RegistryStore store = RegistryStore.open(db, false)) {
            assertTrue(store.holdersAt("table", Instant.now()).stages().get(Stage.PRODUCTION).isEmpty());
        }
    }

    @Test
    void aliasesMoveAndLeaveWithADeletedVersionAndListShowsTheHolders() throws Exception {
        Path db = temp.resolve("registry.db");
        Cli.registry(db, "register", first.toString(), "--name", "table");
        Cli.registry(db, "register", second.toString(), "--name", "table");
        assertEquals(0, Cli.registry(db, "alias", "table", "1", "champion").exit());
        Instant onFirst = Instant.now();
        Thread.sleep(20);
        assertEquals(0, Cli.registry(db, "alias", "table", "2", "champion").exit());
        assertEquals(0, Cli.registry(db, "alias", "table", "1", "baseline").exit());
        assertEquals(0, Cli.registry(db, "promote", "table", "1", "--to", "staging").exit());

        Cli.Result champion = Cli.registry(db, "show", "table@champion");
        assertTrue(champion.out().startsWith("table version 2"), champion.all());
        Cli.Result list = Cli.registry(db, "list");
        assertEquals(0, list.exit(), list.all());
        String row = list.out().lines().filter(l -> l.startsWith("table")).findFirst().orElseThrow();
        assertTrue(row.matches("table\\s+2\\s+2\\s+-\\s+1\\s+baseline=1, champion=2"), list.all());

        try (RegistryStore store = RegistryStore.open(db, false)) {
            assertEquals(1, store.holdersAt("table", onFirst).aliases().get("champion"));
        }
        assertEquals(0, Cli.registry(db, "delete", "table", "2").exit());
        assertEquals(0, Cli.registry(db, "alias", "table", "--delete", "baseline").exit());
        try (RegistryStore store = RegistryStore.open(db, false)) {
            assertTrue(store.holdersAt("table", Instant.now()).aliases().isEmpty());
            List<Transition> history = store.history("table");
            assertEquals(List.of("register", "register", "alias", "alias", "alias", "promote", "unalias", "delete",
                    "unalias"), history.stream().map(Transition::action).toList());
        }
    }
}
