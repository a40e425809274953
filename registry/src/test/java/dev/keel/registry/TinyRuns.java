package dev.keel.registry;

import dev.keel.trainer.api.Keel;
import dev.keel.trainer.run.RunOutcome;
import dev.keel.trainer.session.RunOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Finished runs for registry tests: a tabular network trained for two epochs on a CSV table of two
 * classes ({@code x1,x2,label}, the label {@code yes} when {@code x1 + x2 > 1}, a tenth flipped),
 * a few seconds each.
 */
public final class TinyRuns {
    private TinyRuns() {}

    /** Trains a run of seed {@code seed} into {@code runDir} (its data and config beside it) and gives the folder. */
    public static Path train(Path runDir, long seed) throws IOException {
        Path folder = runDir.toAbsolutePath().getParent();
        String name = runDir.getFileName().toString();
        Path table = writeTable(folder.resolve(name + "-table.csv"), 300, seed);
        Path config = Files.writeString(folder.resolve(name + ".yaml"), """
                name: table
                seed: %d
                device: cpu
                data: {format: csv, path: %s, label_column: label, batch_size: 32}
                model: {arch: tabular-mlp, hidden: [8], dropout: 0}
                train: {epochs: 2}
                """.formatted(seed, table));
        RunOutcome outcome = Keel.train(config, List.of(), RunOptions.defaults().withRunDir(runDir)
                .withOut(new PrintStream(OutputStream.nullOutputStream()), false));
        if (outcome.exitCode() != 0) {
            throw new AssertionError("the tiny run did not finish: exit code " + outcome.exitCode());
        }
        return runDir;
    }

    /** A table of {@code rows} rows drawn from {@code seed}. */
    public static Path writeTable(Path file, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < rows; i++) {
            double x1 = random.nextDouble();
            double x2 = random.nextDouble();
            boolean yes = (x1 + x2 > 1) != (random.nextDouble() < 0.1);
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", x1, x2, yes ? "yes" : "no"));
        }
        return Files.writeString(file, csv.toString());
    }

    /** Copies the run directory {@code from} to {@code to}: another finished run, for a test to alter. */
    public static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return to;
    }

    /** The run's model parameters file (its one {@code model/*.params}). */
    public static Path paramsFile(Path runDir) throws IOException {
        try (Stream<Path> files = Files.list(runDir.resolve("model"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".params")).findFirst()
                    .orElseThrow(() -> new AssertionError(runDir + "/model holds no .params file"));
        }
    }
}
