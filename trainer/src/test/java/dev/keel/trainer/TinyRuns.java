package dev.keel.trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small finished runs to read back, each trained in a second or two through the command line: a
 * table run on {@link TinyTable} (two classes, yes and no) and an image run on ten classes of the
 * bundled Fashion-MNIST sample written as PNG files.
 */
public final class TinyRuns {
    private TinyRuns() {}

    /** Trains a table run into {@code runDir}, its data beside it in {@code data}. */
    public static Path table(Path runDir, Path data) throws IOException {
        Path table = TinyTable.write(data.resolve("table.csv"), 200, 7);
        Path config = Files.writeString(data.resolve("table.yaml"),
                TinyTable.config("table", table, "train: {epochs: 1}\n"));
        return train(config, runDir);
    }

    /** Trains an image run into {@code runDir} on {@code images}, a folder that {@link SampleData#imageFolder} wrote. */
    public static Path images(Path runDir, Path images, Path data) throws IOException {
        Path config = Files.writeString(data.resolve("images.yaml"), """
                name: images
                seed: 2
                device: cpu
                data: {format: image-folder, path: %s, batch_size: 16}
                model: {arch: cnn, channels: [4], hidden: [8]}
                train: {epochs: 1}
                """.formatted(images));
        return train(config, runDir);
    }

    private static Path train(Path config, Path runDir) {
        KeelRun trained = KeelRun.of("train", config.toString(), "--run-dir", runDir.toString());
        if (trained.exit() != 0) {
            throw new IllegalStateException("the tiny run did not train: " + trained.output());
        }
        return runDir;
    }
}
