package dev.keel.drift;

import dev.keel.trainer.api.Keel;
import dev.keel.trainer.run.RunOutcome;
import dev.keel.trainer.session.RunOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Finished runs for comparison tests: a tabular network on a CSV table {@code x1,x2,label} whose
 * label is {@code yes} when {@code x1 + x2 > 1}, trained in a few seconds: properly, or one epoch on
 * shuffled labels (a model no better than a coin).
 */
public final class ComparedRuns {
    private ComparedRuns() {}

    /** Trains on {@code rows} clean rows for {@code epochs} epochs; the data and config go beside the run. */
    public static Path good(Path runDir, int epochs) throws IOException {
        Path table = table(sibling(runDir, "-table.csv"), 400, 11, false, false);
        return train(runDir, table, epochs);
    }

    /** Trains one epoch on labels shuffled across rows: what it learns has nothing to do with x1 + x2. */
    public static Path shuffled(Path runDir) throws IOException {
        Path table = table(sibling(runDir, "-table.csv"), 400, 12, true, false);
        return train(runDir, table, 1);
    }

    /** Trains on three classes ({@code no}, {@code yes}, {@code maybe}), for refusals. */
    public static Path threeClasses(Path runDir) throws IOException {
        Path table = table(sibling(runDir, "-table.csv"), 200, 13, false, true);
        return train(runDir, table, 1);
    }

    /**
     * A clean table of {@code rows} rows drawn from {@code seed}.
     *
     * @param shuffle whether to shuffle the labels across rows
     * @param maybe whether rows near the boundary are {@code maybe}
     */
    public static Path table(Path file, int rows, long seed, boolean shuffle, boolean maybe) throws IOException {
        Random random = new Random(seed);
        double[][] xs = new double[rows][2];
        String[] labels = new String[rows];
        for (int i = 0; i < rows; i++) {
            xs[i][0] = random.nextDouble();
            xs[i][1] = random.nextDouble();
            double sum = xs[i][0] + xs[i][1];
            labels[i] = maybe && Math.abs(sum - 1) < 0.2 ? "maybe" : sum > 1 ? "yes" : "no";
        }
        if (shuffle) {
            for (int i = rows - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                String swap = labels[i];
                labels[i] = labels[j];
                labels[j] = swap;
            }
        }
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < rows; i++) {
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", xs[i][0], xs[i][1], labels[i]));
        }
        return Files.writeString(file, csv.toString());
    }

    private static Path train(Path runDir, Path table, int epochs) throws IOException {
        Path config = Files.writeString(sibling(runDir, ".yaml"), """
                name: table
                seed: 7
                device: cpu
                data: {format: csv, path: %s, label_column: label, batch_size: 32}
                model: {arch: tabular-mlp, hidden: [16], dropout: 0}
                optimizer: {name: adamw, lr: 0.03}
                train: {epochs: %d}
                """.formatted(table, epochs));
        RunOutcome outcome = Keel.train(config, List.of(), RunOptions.defaults().withRunDir(runDir)
                .withOut(new PrintStream(OutputStream.nullOutputStream()), false));
        if (outcome.exitCode() != 0) {
            throw new AssertionError("the run did not finish: exit code " + outcome.exitCode());
        }
        return runDir;
    }

    private static Path sibling(Path runDir, String suffix) {
        Path dir = runDir.toAbsolutePath();
        return dir.getParent().resolve(dir.getFileName() + suffix);
    }
}
