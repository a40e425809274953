package dev.keel.trainer.isa;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link IsaCheckChild} in a JVM of its own, started with this JVM's class path and {@code
 * ONEDNN_MAX_CPU_ISA=ALL} in its environment.
 */
final class JvmChild implements CpuCheck.Child {
    private static final long TIMEOUT_SECONDS = 120;

    private final String java;
    private final String classPath;

    JvmChild(String java, String classPath) {
        this.java = java;
        this.classPath = classPath;
    }

    static JvmChild ofThisJvm() {
        return new JvmChild(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"));
    }

    @Override
    public List<CheckedShape> run(List<ConvShape> shapes) throws IOException {
        Path result = Files.createTempFile("keel-onednn-check", ".json");
        Path log = Files.createTempFile("keel-onednn-check", ".log");
        try {
            List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", classPath,
                    IsaCheckChild.class.getName(), result.toString()));
            shapes.forEach(shape -> command.add(IsaCheckChild.argument(shape)));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("ONEDNN_MAX_CPU_ISA", "ALL");
            Process process = builder.start();
            try {
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IOException("the check's JVM ran past " + TIMEOUT_SECONDS + " s");
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the check's JVM ran");
            }
            if (process.exitValue() != 0) {
                throw new IOException("the check's JVM exited with " + process.exitValue() + lastLine(log));
            }
            return List.of(new ObjectMapper().readValue(result.toFile(), CheckedShape[].class));
        } finally {
            Files.deleteIfExists(result);
            Files.deleteIfExists(log);
        }
    }

    /** The child's last error line, for example {@code : java.lang.IllegalArgumentException: ...}; may be empty. */
    private static String lastLine(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("\tat ")).toList();
        return lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1).strip();
    }
}
