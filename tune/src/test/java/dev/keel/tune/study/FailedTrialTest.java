package dev.keel.tune.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.tune.TinyStudy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trial that cannot train is failed with its run's reason, and the study goes on to its best. */
class FailedTrialTest {
    @TempDir
    Path temp;

    @Test
    void aTrialWhoseDataCannotBeReadFailsWithTheReasonAndTheOthersTrain() throws IOException {
        // The config is valid with either column; the data shows at the start of the run that one is missing.
        Path config = TinyStudy.write(temp, 1, """
                trials: 2
                sampler: grid
                pruner: none
                params:
                  data.label_column: {choice: [label, verdict]}
                """);
        Path study = temp.resolve("study");
        TinyStudy.Result result = TinyStudy.tune(config.toString(), "--space", temp.resolve("space.yaml").toString(),
                "--study-dir", study.toString());
        assertEquals(0, result.exit(), result.err() + result.out());
        List<String> rows = Files.readAllLines(study.resolve("trials.csv"));
        String failed = rows.stream().filter(row -> row.contains(",failed,")).findFirst().orElseThrow();
        assertTrue(failed.contains("verdict") && failed.contains("exit code 2"), failed);
        assertTrue(rows.stream().anyMatch(row -> row.contains(",complete,") && row.contains(",label,")), rows.toString());
        assertTrue(result.out().contains("failed: exit code 2"), result.out());
    }
}
