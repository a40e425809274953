package dev.keel.trainer.guard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.keel.trainer.TinyTable;
import dev.keel.trainer.api.Keel;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.fit.FitStatus;
import dev.keel.trainer.run.RunOutcome;
import dev.keel.trainer.session.RunOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PauseAfterEpochTest {
    @TempDir
    Path temp;

    @Test
    void aRunPausedAtEpochEndsAndResumedTwiceEndsWithTheWeightsOfAnUnpausedRun() throws IOException {
        Path table = TinyTable.write(temp.resolve("table.csv"), 200, 7);
        Path yaml = Files.writeString(temp.resolve("table.yaml"), TinyTable.config("table", table,
                "train: {epochs: 3}\n"));
        RunConfig config = Keel.config(yaml, List.of());

        Keel.train(config, options().withRunDir(temp.resolve("straight")));

        Path paused = temp.resolve("paused");
        RunOutcome first = Keel.train(config, options().withRunDir(paused).withPauseAfterEpoch(1));
        assertEquals(FitStatus.INTERRUPTED, first.status());
        assertEquals(0, first.exitCode());
        assertNull(first.test());
        assertEquals(1, first.fit().epochs());
        assertEquals("interrupted", first.summary().orElseThrow().status());

        RunOutcome second = Keel.resume(paused, options().withPauseAfterEpoch(2));
        assertEquals(FitStatus.INTERRUPTED, second.status());
        assertEquals(2, second.fit().epochs());

        RunOutcome last = Keel.resume(paused, options().withPauseAfterEpoch(3));
        assertEquals(FitStatus.COMPLETED, last.status(), "a pause at the last epoch is the run's end");
        assertArrayEquals(modelBytes(temp.resolve("straight")), modelBytes(paused));
    }

    private static byte[] modelBytes(Path runDir) throws IOException {
        try (Stream<Path> files = Files.list(runDir.resolve("model"))) {
            return Files.readAllBytes(files.filter(p -> p.toString().endsWith(".params")).findFirst().orElseThrow());
        }
    }

    private RunOptions options() {
        return RunOptions.defaults().withOut(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8), false).withRunsRoot(temp.resolve("runs"));
    }
}
