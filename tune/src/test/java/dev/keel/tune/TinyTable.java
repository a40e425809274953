package dev.keel.tune;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * A small CSV table of two classes for trials that must take seconds: {@code x1,x2,label}, the label
 * {@code yes} when {@code x1 + x2 > 1}, a tenth of the labels flipped so that the loss stays well
 * above zero.
 */
public final class TinyTable {
    private TinyTable() {}

    /** Writes {@code rows} rows drawn from {@code seed} to {@code file}. */
    public static Path write(Path file, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < rows; i++) {
            double x1 = random.nextDouble();
            double x2 = random.nextDouble();
            boolean yes = x1 + x2 > 1;
            if (random.nextDouble() < 0.1) {
                yes = !yes;
            }
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", x1, x2, yes ? "yes" : "no"));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, csv.toString());
    }

    /** Writes a config of a small tabular network on {@code table} training {@code epochs} epochs to {@code file}. */
    public static Path config(Path file, Path table, int epochs) throws IOException {
        return Files.writeString(file, """
                name: table
                seed: 1
                device: cpu
                data: {format: csv, path: %s, label_column: label, batch_size: 32}
                model: {arch: tabular-mlp, hidden: [16], dropout: 0}
                train: {epochs: %d}
                """.formatted(table.toAbsolutePath(), epochs));
    }
}
