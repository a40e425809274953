package dev.keel.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.registry.store.RegistryStore;
import dev.keel.registry.store.Stage;
import dev.keel.registry.store.Transition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes promote different versions of one model to production at the same instants, 50
 * times each: every promotion succeeds, the history records all of them with the archivings they
 * caused, replaying it never shows two holders of production, and the holder at the end is the
 * version promoted last.
 */
class RegistryConcurrencyTest {
    private static final int ROUNDS = 50;

    @TempDir
    Path temp;

    @Test
    void simultaneousPromotionsAreSerializedAndRecorded() throws Exception {
        Path run = TinyRuns.train(temp.resolve("run"), 4);
        Path db = temp.resolve("registry.db");
        assertEquals(0, Cli.registry(db, "register", run.toString(), "--name", "table").exit());
        assertEquals(0, Cli.registry(db, "register", run.toString(), "--name", "table").exit());

        long start = System.currentTimeMillis() + 4000; // time for both JVMs to start
        List<Process> processes = new ArrayList<>();
        for (int version = 1; version <= 2; version++) {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), PromoteRounds.class.getName(), db.toString(), "table",
                    String.valueOf(version), String.valueOf(ROUNDS), String.valueOf(start), "100");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(temp.resolve("child-" + version + ".log").toFile());
            builder.environment().put("KEEL_USER", "child-" + version);
            processes.add(builder.start());
        }
        for (int i = 0; i < processes.size(); i++) {
            Process process = processes.get(i);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child " + (i + 1) + " did not finish");
            assertEquals(0, process.exitValue(), Files.readString(temp.resolve("child-" + (i + 1) + ".log")));
        }

        List<Transition> history;
        int holder;
        try (RegistryStore store = RegistryStore.open(db, false)) {
            history = store.history("table");
            holder = store.resolve("table", "production").version();
        }
        List<Transition> promotions = history.stream().filter(t -> t.action().equals("promote")).toList();
        assertEquals(2 * ROUNDS, promotions.size());
        for (int version = 1; version <= 2; version++) {
            String user = "child-" + version;
            assertEquals(ROUNDS, promotions.stream().filter(t -> t.user().equals(user)).count());
        }

        Map<Integer, Stage> stages = new HashMap<>();
        int changes = 0;
        Integer lastPromoted = null;
        for (Transition t : history) {
            if (t.action().equals("promote") && lastPromoted != null && lastPromoted != t.version()) {
                changes++;
            }
            if (t.action().equals("promote")) {
                lastPromoted = t.version();
            }
            stages.put(t.version(), t.to());
            long holders = stages.values().stream().filter(s -> s == Stage.PRODUCTION).count();
            assertTrue(holders <= 1, "two holders of production after transition " + t);
        }
        long archivings = history.stream().filter(t -> t.action().equals("archive")).count();
        assertTrue(changes > 0, "the two processes' promotions never interleaved");
        assertEquals(changes, archivings, "one archiving per change of holder");
        assertEquals(lastPromoted, holder);
    }
}
