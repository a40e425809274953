package dev.keel.trainer.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    @Test
    void truncatingDropsWhatALaterStepTheTestAndAKillCutShortLogged(@TempDir Path dir) throws Exception {
        String n = System.lineSeparator();
        Path file = Files.writeString(dir.resolve("metrics.jsonl"), "{\"kind\":\"train\",\"step\":1}" + n
                + "{\"kind\":\"epoch\",\"step\":2}" + n + "{\"kind\":\"test\",\"step\":2}" + n
                + "{\"kind\":\"train\",\"step\":3}" + n + "{\"kind\":\"tra");

        MetricsLog.truncateAfter(file, 2);

        assertEquals("{\"kind\":\"train\",\"step\":1}" + n + "{\"kind\":\"epoch\",\"step\":2}" + n,
                Files.readString(file));
        assertFalse(Files.exists(dir.resolve(".metrics.jsonl.tmp")));
    }
}
