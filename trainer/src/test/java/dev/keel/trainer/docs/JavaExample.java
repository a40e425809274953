package dev.keel.trainer.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A Java program as Keel's documentation prints it: the first {@code ```java} block of a section,
 * compiled with the test's class path and run in a JVM of its own, as a reader would run it.
 *
 * @param source the program's text
 * @param className the name of its public class, which holds {@code main}
 */
public record JavaExample(String source, String className) {
    /** The folder that holds README.md and docs/, seen from the trainer module where its tests run. */
    public static final Path ROOT = Path.of("..");

    /** What a run of the program printed, standard output and error together. */
    public record Run(int exitCode, String output) {}

    /**
     * The program in the section of {@code markdown} that {@code heading} (a whole line, such as
     * {@code ## Training from Java}) opens, before the next heading of its level.
     */
    public static JavaExample under(Path markdown, String heading) throws IOException {
        String text = Files.readString(markdown);
        Matcher start = Pattern.compile("^" + Pattern.quote(heading) + "$", Pattern.MULTILINE).matcher(text);
        assertTrue(start.find(), markdown + " has no line \"" + heading + "\"");
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = text.indexOf("\n" + level, start.end());
        String section = text.substring(start.end(), end < 0 ? text.length() : end);
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertTrue(block.find(), "no java block in " + markdown + "'s \"" + heading + "\"");
        Matcher name = Pattern.compile("^public class (\\w+)", Pattern.MULTILINE).matcher(block.group(1));
        assertTrue(name.find(), "the example in " + markdown + "'s \"" + heading + "\" has no public class");
        return new JavaExample(block.group(1), name.group(1));
    }

    /** Compiles the program into {@code dir/classes} and returns that folder; javac's messages fail the test. */
    public Path compile(Path dir) throws IOException {
        return compile(dir, System.getProperty("java.class.path"));
    }

    /** As {@link #compile(Path)}, against {@code classpath} instead of the test's. */
    public Path compile(Path dir, String classpath) throws IOException {
        Path file = dir.resolve("src").resolve(className + ".java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, source);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int compiled = javac.run(null, errors, errors, "-d", classes.toString(), "-cp", classpath,
                file.toString());
        assertEquals(0, compiled, errors.toString(StandardCharsets.UTF_8));
        return classes;
    }

    /**
     * Runs the compiled program in a fresh JVM with {@code classes} and the test's class path, in
     * {@code workDir}, its output kept in {@code workDir/<class>.log}; the environment is the
     * test's, with {@code environment} added (pairs of name and value).
     */
    public Run run(Path classes, Path workDir, List<String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classes + File.pathSeparator + System.getProperty("java.class.path"), className));
        command.addAll(List.of(args));
        Path log = workDir.resolve(className + ".log");
        ProcessBuilder launch = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        for (int i = 0; i < environment.size(); i += 2) {
            launch.environment().put(environment.get(i), environment.get(i + 1));
        }
        Process process = launch.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            fail("the example did not finish in 5 minutes: " + Files.readString(log));
        }
        return new Run(process.exitValue(), Files.readString(log));
    }
}
