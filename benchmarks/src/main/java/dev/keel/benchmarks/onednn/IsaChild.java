package dev.keel.benchmarks.onednn;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.serving.network.ChannelsLast;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs {@link SweepChild} in a new JVM with {@code ONEDNN_MAX_CPU_ISA} set, in its environment or
 * by the child in its own process ({@link CapSetting}): the same java, the same classpath, the
 * {@code ai.djl.*} system properties of this JVM, this environment plus {@code ONEDNN_VERBOSE=1} so
 * that the log says which kernels ran.
 *
 * @param outputs the child's {@link FloatFile}
 */
record IsaChild(String isa, Path outputs, ChildSummary summary, OneDnnLog log) {

    /** How the child gets its {@code ONEDNN_MAX_CPU_ISA}. */
    enum CapSetting {
        /** In its environment, as a user sets it. */
        ENVIRONMENT,
        /**
         * Not in its environment: the child sets it in its own process through Keel's {@code
         * OneDnnIsa} before its first convolution, as {@code keel} sets the cap it chooses.
         */
        IN_PROCESS
    }

    /** Runs the child with {@code isa} in its environment, its inputs stored channels-last or not. */
    static IsaChild run(String isa, Path shapesFile, Path workDir, int repeats, long seed, boolean channelsLast)
            throws IOException, InterruptedException {
        return run(isa, CapSetting.ENVIRONMENT, shapesFile, workDir, repeats, seed, channelsLast);
    }

    /** Runs the child with {@code isa} set as {@code setting} says. */
    static IsaChild run(String isa, CapSetting setting, Path shapesFile, Path workDir, int repeats, long seed,
            boolean channelsLast) throws IOException, InterruptedException {
        Path outputs = workDir.resolve(isa + ".bin");
        Path summaryFile = workDir.resolve(isa + ".json");
        Path logFile = workDir.resolve(isa + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("ai.djl.")).sorted()
                .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
        command.add("-D" + ChannelsLast.PROPERTY + "=" + channelsLast);
        command.addAll(List.of(SweepChild.class.getName(), shapesFile.toString(), outputs.toString(),
                summaryFile.toString(), Integer.toString(repeats), Long.toString(seed)));
        if (setting == CapSetting.IN_PROCESS) {
            command.add(isa);
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(logFile.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        if (setting == CapSetting.ENVIRONMENT) {
            builder.environment().put("ONEDNN_MAX_CPU_ISA", isa);
        } else {
            builder.environment().remove("ONEDNN_MAX_CPU_ISA");
        }
        builder.environment().put("ONEDNN_VERBOSE", "1");
        builder.environment().put("DJL_OFFLINE", "true");
        int status = builder.start().waitFor();
        if (status != 0) {
            throw new IOException("the sweep's JVM for ONEDNN_MAX_CPU_ISA=" + isa + " failed with status " + status
                    + "; its standard output is in " + logFile);
        }
        ChildSummary summary = new ObjectMapper().readValue(summaryFile.toFile(), ChildSummary.class);
        OneDnnLog log;
        try (Stream<String> lines = Files.lines(logFile, StandardCharsets.UTF_8)) {
            log = OneDnnLog.parse(lines);
        }
        return new IsaChild(isa, outputs, summary, log);
    }
}
