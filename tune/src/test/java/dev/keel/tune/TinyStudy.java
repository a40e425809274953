package dev.keel.tune;

import dev.keel.tune.cli.TuneCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * A study small enough for tests: a {@link TinyTable} of 400 rows, a tabular network trained in well
 * under a second per epoch, and a space over its rate and width.
 */
public final class TinyStudy {
    private TinyStudy() {}

    /** Writes table.csv, table.yaml ({@code epochs} epochs) and space.yaml into {@code folder}; gives the config. */
    public static Path write(Path folder, int epochs, String space) throws IOException {
        Path table = TinyTable.write(folder.resolve("table.csv"), 400, 7);
        Files.writeString(folder.resolve("space.yaml"), space);
        return Files.writeString(folder.resolve("table.yaml"), """
                name: table
                seed: 1
                device: cpu
                data: {format: csv, path: %s, label_column: label, batch_size: 32, valid_fraction: 0.25}
                model: {arch: tabular-mlp, hidden: [16], dropout: 0}
                train: {epochs: %d}
                checkpoint: {every_steps: 3}
                """.formatted(table.toAbsolutePath(), epochs));
    }

    /** A space of five trials over the rate and the width, TPE with ASHA from epoch 1. */
    public static String space(int trials) {
        return """
                trials: %d
                sampler: tpe
                seed: 3
                params:
                  optimizer.lr: {loguniform: [1.0e-3, 0.3]}
                  model.hidden: {choice: [[8], [16], [32, 16]]}
                """.formatted(trials);
    }

    /** What one in-process {@code keel tune} printed and returned. */
    public record Result(int exit, String out, String err) {}

    /** Runs {@code keel tune args} in this JVM (its trials in child processes). */
    public static Result tune(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int exit;
        try (PrintStream captured = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(captured);
            CommandLine cli = TuneCli.commandLine();
            cli.setErr(new PrintWriter(err, true));
            List<String> all = new ArrayList<>(List.of("tune"));
            all.addAll(List.of(args));
            exit = cli.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(previous);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    /** Starts {@code keel tune args} as its own process, its output in {@code log}. */
    public static Process start(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), TuneCli.class.getName(), "tune"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** A study's trials.csv without its wall-time column: what two runs of one study share. */
    public static List<String> trialsTable(Path study) throws IOException {
        return Files.readAllLines(study.resolve("trials.csv")).stream().map(line -> {
            String[] fields = line.split(",", -1);
            fields[4] = "";
            return String.join(",", fields);
        }).toList();
    }

    /** The bytes of a finished run's model parameters (its one {@code model/*.params} file). */
    public static byte[] modelWeights(Path runDir) throws IOException {
        try (Stream<Path> files = Files.list(runDir.resolve("model"))) {
            List<Path> params = files.filter(f -> f.getFileName().toString().endsWith(".params")).sorted().toList();
            if (params.size() != 1) {
                throw new AssertionError(runDir + "/model: expected one .params file, found " + params);
            }
            return Files.readAllBytes(params.get(0));
        }
    }
}
