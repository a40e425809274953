package dev.keel.trainer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.keel.trainer.docs.JavaExample;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A serving JVM as a Keel user runs one: a class path of keel-serving, DJL's api and model zoo,
 * the PyTorch engine, its JNI and native libraries, and their own dependencies, picked from this
 * test's class path by artifact; no Keel trainer, datasets or Jackson.
 */
final class ServingJvm {
    /** Where each allowed entry lives, as a path fragment of a Maven repository or of the reactor's build. */
    private static final List<String> ALLOWED = List.of("/keel-serving/", "/serving/target/classes",
            "/ai/djl/api/", "/ai/djl/model-zoo/", "/ai/djl/pytorch/pytorch-engine/", "/ai/djl/pytorch/pytorch-jni/",
            "/ai/djl/pytorch/pytorch-native-cpu/", "/com/google/code/gson/", "/net/java/dev/jna/jna/",
            "/org/apache/commons/commons-compress/", "/org/slf4j/slf4j-api/", "/org/slf4j/slf4j-simple/");
    private static final List<String> FORBIDDEN = List.of("keel-trainer", "keel-datasets", "jackson",
            "/trainer/target", "/datasets/target");

    private ServingJvm() {}

    /** The serving class path's entries, checked: each allowed kind found once at least, nothing forbidden. */
    static List<String> classpath() {
        List<String> entries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = entry.replace(File.separatorChar, '/') + (entry.endsWith(".jar") ? "" : "/");
            if (ALLOWED.stream().anyMatch(path::contains)) {
                entries.add(entry);
            }
        }
        for (String kind : List.of("serving", "/ai/djl/api/", "/pytorch-engine/", "/pytorch-jni/",
                "/pytorch-native-cpu/", "/gson/", "/jna/", "/slf4j-api/")) {
            assertTrue(entries.stream().anyMatch(e -> e.replace(File.separatorChar, '/').contains(kind)),
                    kind + " is not on the test's class path: " + System.getProperty("java.class.path"));
        }
        for (String entry : entries) {
            String lower = entry.toLowerCase(Locale.ROOT);
            assertFalse(FORBIDDEN.stream().anyMatch(lower::contains), entry + " is not for a serving JVM");
        }
        return entries;
    }

    /** Compiles {@code source}, the public class {@code className}, on the serving class path alone. */
    static Path compile(String className, String source, Path dir) throws IOException {
        return new JavaExample(source, className).compile(dir, String.join(File.pathSeparator, classpath()));
    }

    /**
     * Runs {@code className} from {@code classes} in a fresh JVM on the serving class path, in this
     * process's environment (so oneDNN's cap and DJL's offline setting are the test's).
     *
     * @return what it printed on standard output; a non-zero exit fails the test with its output
     */
    static String run(Path classes, String className, Path workDir, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dai.djl.offline=true", "-cp", classes + File.pathSeparator
                + String.join(File.pathSeparator, classpath()), className));
        command.addAll(Arrays.asList(args));
        Path out = workDir.resolve(className + ".out");
        Path err = workDir.resolve(className + ".err");
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            fail(className + " did not finish in 5 minutes: " + Files.readString(err));
        }
        assertEquals(0, process.exitValue(), className + " failed: " + Files.readString(out) + Files.readString(err));
        return Files.readString(out);
    }
}
