package dev.keel.trainer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "Keel from Java" example, compiled as it is written and run in a fresh JVM, in a folder
 * whose {@code configs/quickstart.yaml} is a small net on Keel's bundled Fashion-MNIST sample.
 */
class KeelFromJavaTest {
    private static final Path README = Path.of("..", "README.md");
    private static final String SAMPLE = "/dev/keel/datasets/fashion-mnist-sample/";

    @TempDir
    Path temp;

    @Test
    void readmesExampleCompilesTrainsAndLeavesACompletedRun() throws Exception {
        String example = example(Files.readString(README));
        Path source = temp.resolve("src/TrainFromJava.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, example);
        Path classes = Files.createDirectories(temp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int compiled = javac.run(null, errors, errors, "-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), source.toString());
        assertEquals(0, compiled, errors.toString(StandardCharsets.UTF_8));

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
        Path data = Files.createDirectories(temp.resolve("data/fashion-mnist"));
        for (String file : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            try (InputStream in = KeelFromJavaTest.class.getResourceAsStream(SAMPLE + file)) {
                Files.copy(in, data.resolve(file));
            }
        }
        ProcessBuilder launch = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), "TrainFromJava")
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(temp.resolve("out.log").toFile());
        launch.environment().put("KEEL_DATA", data.getParent().toString());
        Process process = launch.start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the example did not finish");
        String output = Files.readString(temp.resolve("out.log"));
        assertEquals(0, process.exitValue(), output);

        Matcher result = Pattern.compile("COMPLETED: test accuracy (\\d+\\.\\d+)% \\((.+)\\)").matcher(output);
        assertTrue(result.find(), output);
        assertTrue(Double.parseDouble(result.group(1)) > 60, "one epoch of a small cnn on the sample: " + output);
        Path runDir = work.resolve(result.group(2));
        assertEquals("completed", new ObjectMapper().readTree(runDir.resolve("summary.json").toFile())
                .get("status").asText());
        assertTrue(output.contains("the run has already completed"), "the resume leaves it as it is: " + output);
    }

    /** The Java code block of README's "Keel from Java" section. */
    private static String example(String readme) {
        int section = readme.indexOf("## Keel from Java");
        assertTrue(section >= 0, "README has no \"Keel from Java\" section");
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(section), "no java block in README's \"Keel from Java\"");
        return block.group(1);
    }
}
