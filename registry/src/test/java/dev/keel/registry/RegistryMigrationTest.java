package dev.keel.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.registry.store.RegisteredVersion;
import dev.keel.registry.store.RegistryStore;
import dev.keel.registry.store.Stage;
import dev.keel.registry.store.Transition;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry file of schema 1 (fixtures/registry-schema1.db, written by tools/registry_v1_fixture.py:
 * models, versions and transitions, no tags or aliases) opens in this Keel, is migrated to the
 * current schema, and reads back its versions and history as they were.
 */
class RegistryMigrationTest {
    @TempDir
    Path temp;

    private Path fixture() throws Exception {
        Path db = temp.resolve("registry.db");
        try (InputStream in = getClass().getResourceAsStream("/fixtures/registry-schema1.db")) {
            Files.copy(in, db);
        }
        return db;
    }

    private static int userVersion(Path db) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            return rs.getInt(1);
        }
    }

    @Test
    void schemaOneFileMigratesAndReadsItsVersionsAndHistory() throws Exception {
        Path db = fixture();
        assertEquals(1, userVersion(db));
        try (RegistryStore store = RegistryStore.open(db, false)) {
            assertEquals(List.of("churn", "fraud"), store.models());
            List<RegisteredVersion> fraud = store.versions("fraud");
            assertEquals(List.of(1, 2, 3), fraud.stream().map(RegisteredVersion::version).toList());
            assertEquals(Stage.ARCHIVED, fraud.get(0).stage());
            assertEquals(Stage.PRODUCTION, fraud.get(1).stage());
            assertTrue(fraud.get(2).deleted());
            assertEquals("first", fraud.get(0).description());
            assertNull(fraud.get(1).description());
            assertEquals("ben", fraud.get(1).registeredBy());
            assertTrue(fraud.get(1).tags().isEmpty());
            assertEquals(0.86, fraud.get(1).record().at("/metrics/test/accuracy").asDouble());
            assertEquals(2, store.resolve("fraud", "production").version());
            assertEquals(1, store.resolve("churn", "staging").version());

            List<Transition> history = store.history("fraud");
            assertEquals(List.of("register", "promote", "register", "promote", "archive", "promote", "register",
                    "delete"), history.stream().map(Transition::action).toList());
            assertEquals("replaced in production by version 2", history.get(4).reason());
            assertEquals(List.of(1), store.holdersAt("fraud", Instant.parse("2026-11-04T12:00:00Z")).stages()
                    .get(Stage.PRODUCTION));
            assertEquals(List.of(2), store.holdersAt("fraud", Instant.parse("2026-11-04T12:00:00Z")).stages()
                    .get(Stage.STAGING));
            assertEquals(List.of(2), store.holdersAt("fraud", Instant.parse("2026-11-06T00:00:00Z")).stages()
                    .get(Stage.PRODUCTION));

            // What schema 2 adds works on the migrated file: aliases, and the counter kept across the migration.
            store.setAlias("fraud", 2, "champion", "cara", null);
            assertEquals(2, store.resolve("fraud", "champion").version());
        }
        assertEquals(RegistryStore.SCHEMA, userVersion(db));
        Cli.Result history = Cli.registry(db, "history", "fraud", "--at", "2026-11-04T12:00:00Z");
        assertEquals(0, history.exit(), history.all());
        assertTrue(history.out().lines().anyMatch(l -> l.matches("\\s*production\\s+1")), history.all());
        assertTrue(history.out().lines().anyMatch(l -> l.matches("\\s*staging\\s+2")), history.all());
    }
}
