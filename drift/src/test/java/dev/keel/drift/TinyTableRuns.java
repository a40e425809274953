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
 * Tables and finished runs for drift tests: {@code x1} normal (mean 0, sd 1, plus a shift),
 * {@code x2} uniform on [0, 1), {@code colour} red, green or blue (half, 0.3, 0.2), {@code flag}
 * yes or no (0.6, 0.4), and the label {@code yes} when {@code x1 + x2 > 0.5}, a tenth flipped. A
 * tabular network trains on one for two epochs in a few seconds.
 */
public final class TinyTableRuns {
    /** The columns a model trained on such a table reads. */
    public static final List<String> COLUMNS = List.of("x1", "x2", "colour", "flag");

    private TinyTableRuns() {}

    /** A table of {@code rows} rows drawn from {@code seed}, {@code x1} shifted by {@code shift}; the label column when {@code label}. */
    public static Path writeTable(Path file, int rows, long seed, double shift, boolean label) throws IOException {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder(label ? "x1,x2,colour,flag,label\n" : "x1,x2,colour,flag\n");
        for (int i = 0; i < rows; i++) {
            double x1 = random.nextGaussian() + shift;
            double x2 = random.nextDouble();
            double c = random.nextDouble();
            String colour = c < 0.5 ? "red" : c < 0.8 ? "green" : "blue";
            String flag = random.nextDouble() < 0.6 ? "yes" : "no";
            boolean yes = (x1 - shift + x2 > 0.5) != (random.nextDouble() < 0.1);
            csv.append(String.format(Locale.ROOT, "%.5f,%.5f,%s,%s", x1, x2, colour, flag));
            csv.append(label ? (yes ? ",yes\n" : ",no\n") : "\n");
        }
        return Files.writeString(file, csv.toString());
    }

    /** Trains a run on {@code table} into {@code runDir} (its config beside it) and gives the folder. */
    public static Path train(Path runDir, Path table, long seed) throws IOException {
        Path config = Files.writeString(runDir.toAbsolutePath().getParent().resolve(runDir.getFileName() + ".yaml"), """
                name: table
                seed: %d
                device: cpu
                data: {format: csv, path: %s, label_column: label, batch_size: 32}
                model: {arch: tabular-mlp, hidden: [8], dropout: 0}
                train: {epochs: 2}
                drift: {share: 0.25}
                """.formatted(seed, table.toAbsolutePath()));
        RunOutcome outcome = Keel.train(config, List.of(), RunOptions.defaults().withRunDir(runDir)
                .withOut(new PrintStream(OutputStream.nullOutputStream()), false));
        if (outcome.exitCode() != 0) {
            throw new AssertionError("the tiny run did not finish: exit code " + outcome.exitCode());
        }
        return runDir;
    }
}
