package dev.keel.tune.trial;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@link TrialJob} in a child JVM ({@link TrialMain}) with this JVM's classpath and memory
 * options, {@code threads} intra-op threads, and its output appended to the job's log; then reads
 * the job's report from the trial's run directory. The same on the study's machine and inside a
 * Spark task.
 */
public final class TrialProcess {
    private TrialProcess() {}

    /** Trains {@code job} and reports; a process that fails gives a failed report with its last words. */
    public static TrialReport run(TrialJob job, int attempt) {
        return run(job, attempt, Map.of());
    }

    /**
     * As {@link #run(TrialJob, int)}, with {@code environment} added to the process's environment
     * (such as {@code CUDA_VISIBLE_DEVICES} for the GPU a Spark task was given).
     */
    public static TrialReport run(TrialJob job, int attempt, Map<String, String> environment) {
        long start = System.nanoTime();
        Path log = Path.of(job.log());
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            ProcessBuilder builder = new ProcessBuilder(command(job));
            builder.environment().put("OMP_NUM_THREADS", Integer.toString(job.threads()));
            builder.environment().put("DJL_OFFLINE", "true");
            builder.environment().putAll(environment);
            builder.redirectErrorStream(true);
            builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Process process = builder.start();
            int exitCode;
            try {
                exitCode = process.waitFor();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                return TrialReport.failure(job, "interrupted while training", seconds(start), attempt);
            }
            return TrialReport.read(job, exitCode, exitCode == 0 ? "" : lastWords(log, logStart, exitCode),
                    seconds(start), attempt);
        } catch (IOException e) {
            return TrialReport.failure(job, "could not start the trial's process: " + e.getMessage(), seconds(start),
                    attempt);
        }
    }

    private static List<String> command(TrialJob job) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // Not a debugger's or profiler's agent, nor the incubator module that a Spark executor's JVM
            // adds (the trial would only warn about it).
            if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent") && !option.startsWith("-Xdebug")
                    && !option.startsWith("-Xrunjdwp") && !option.startsWith("-Dai.djl.pytorch.num_")
                    && !option.startsWith("--add-modules=jdk.incubator.")) {
                command.add(option);
            }
        }
        command.add("-Dai.djl.pytorch.num_threads=" + job.threads());
        command.add("-Dai.djl.pytorch.num_interop_threads=1");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TrialMain.class.getName());
        command.add(job.toJson());
        return command;
    }

    /** The process's message: its last {@code keel:} line written since {@code from}, or its last line. */
    private static String lastWords(Path log, long from, int exitCode) throws IOException {
        String written;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(from, file.length() - 64 * 1024);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            written = new String(bytes, StandardCharsets.UTF_8);
        }
        List<String> lines = written.lines().filter(line -> !line.isBlank()).toList();
        String message = lines.stream().filter(line -> line.startsWith("keel: ")).reduce((a, b) -> b)
                .map(line -> line.substring("keel: ".length()))
                .orElse(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
        return "exit code " + exitCode + (message.isBlank() ? "" : ": " + message);
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
