package dev.keel.trainer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.SampleData;
import dev.keel.trainer.docs.JavaExample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/java.md's "Training from Java" example, compiled as it is written and run in a fresh JVM, in
 * a folder whose {@code configs/quickstart.yaml} is a small net on Keel's bundled Fashion-MNIST
 * sample.
 */
class KeelFromJavaTest {
    @TempDir
    Path temp;

    @Test
    void theDocsExampleCompilesTrainsAndLeavesACompletedRun() throws Exception {
        JavaExample example = JavaExample.under(JavaExample.ROOT.resolve("docs/java.md"), "## Training from Java");
        Path classes = example.compile(temp);

        Path work = Files.createDirectories(temp.resolve("work"));
        Files.createDirectories(work.resolve("configs"));
        Files.writeString(work.resolve("configs/quickstart.yaml"), """
                name: quickstart
                seed: 42
                device: cpu
                data: {dataset: fashion-mnist, batch_size: 128}
                model: {arch: cnn, channels: [8, 16], hidden: [32]}
                optimizer: {name: adamw, lr: 0.005}
                train: {epochs: 3}
                """);
        Path data = SampleData.copyTo(temp.resolve("data/fashion-mnist"));
        JavaExample.Run run = example.run(classes, work, List.of("KEEL_DATA", data.getParent().toString()));
        String output = run.output();
        assertEquals(0, run.exitCode(), output);

        Matcher result = Pattern.compile("COMPLETED: test accuracy (\\d+\\.\\d+)% \\((.+)\\)").matcher(output);
        assertTrue(result.find(), output);
        assertTrue(Double.parseDouble(result.group(1)) > 60, "one epoch of a small cnn on the sample: " + output);
        Path runDir = work.resolve(result.group(2));
        assertEquals("completed", new ObjectMapper().readTree(runDir.resolve("summary.json").toFile())
                .get("status").asText());
        assertTrue(output.contains("the run has already completed"), "the resume leaves it as it is: " + output);
    }
}
