package dev.keel.trainer.runs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A run directory written by hand, file by file, as Keel writes one: tests of listing need no training. */
record FakeRun(Path dir) {
    static final String CONFIG = """
            name: quickstart
            seed: 42
            data:
              batch_size: 128
            model:
              arch: cnn
              channels:
              - 24
              - 48
              dropout: 0.25
            optimizer:
              name: adamw
              lr: 0.003
            train:
              epochs: 5
            """;

    static FakeRun at(Path root, String id) {
        try {
            return new FakeRun(Files.createDirectories(root.resolve(id)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** config.yaml, provenance.json started at {@code started} by {@code command}. */
    FakeRun started(String command, String started) {
        return file("config.yaml", CONFIG).file("provenance.json", """
                {"keel_version": "0.1.0", "seed": 42, "command_line": ["%s", "configs/quickstart.yaml"],
                 "started": "%s"}
                """.formatted(command, started));
    }

    /** A complete summary.json. */
    FakeRun summary(String status, double wallSeconds, double testAccuracy) {
        return file("summary.json", """
                {"status": "%s", "epochs": 5, "steps": 2105, "wall_seconds": %s, "train_seconds": %s,
                 "valid": {"accuracy": 0.92, "loss": 0.22}, "test": {"accuracy": %s, "loss": 0.23}}
                """.formatted(status, wallSeconds, wallSeconds - 5, testAccuracy));
    }

    FakeRun file(String name, String text) {
        try {
            Files.writeString(dir.resolve(name), text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
