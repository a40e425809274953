package dev.keel.trainer.track;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keel.trainer.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A run's folder: {@code config.yaml}, {@code provenance.json}, {@code metrics.jsonl},
 * {@code model/} and {@code summary.json}. Files are written whole to a temporary name and then
 * renamed, so a reader never sees half a file.
 */
public final class RunDirectory {
    /** Indented JSON, as run files are written. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    /**
     * Creates a new run folder: {@code explicit} when given (it must be absent or empty), else
     * {@code runs/<time>-<name>} under {@code runsRoot}.
     *
     * @throws ConfigException when {@code explicit} already holds files
     */
    public static RunDirectory create(Path runsRoot, String name, Path explicit) {
        try {
            if (explicit != null) {
                if (Files.isDirectory(explicit)) {
                    try (var entries = Files.list(explicit)) {
                        if (entries.findAny().isPresent()) {
                            throw new ConfigException("--run-dir " + explicit
                                    + ": already holds files (expected a new or empty folder)");
                        }
                    }
                } else if (Files.exists(explicit)) {
                    throw new ConfigException("--run-dir " + explicit + ": is a file (expected a folder)");
                }
                Files.createDirectories(explicit);
                return new RunDirectory(explicit);
            }
            String id = LocalDateTime.now().format(ID_TIME) + "-" + name;
            Path candidate = runsRoot.resolve(id);
            for (int n = 2; Files.exists(candidate); n++) {
                candidate = runsRoot.resolve(id + "-" + n);
            }
            Files.createDirectories(candidate);
            return new RunDirectory(candidate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run directory", e);
        }
    }

    /**
     * Opens an existing run folder, to resume it.
     *
     * @throws ConfigException when the folder does not exist
     */
    public static RunDirectory open(Path existing) {
        if (!Files.isDirectory(existing)) {
            throw new ConfigException(existing + ": no such run directory");
        }
        return new RunDirectory(existing);
    }

    /** The folder itself. */
    public Path root() {
        return root;
    }

    /** {@code metrics.jsonl}. */
    public Path metricsFile() {
        return root.resolve("metrics.jsonl");
    }

    /** {@code model/}, created on first call. */
    public Path modelDir() {
        try {
            return Files.createDirectories(root.resolve("model"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root.resolve("model"), e);
        }
    }

    /** Writes {@code name} as UTF-8 text, atomically. */
    public void writeText(String name, String text) {
        Path target = root.resolve(name);
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Writes {@code name} as indented JSON, atomically. */
    public void writeJson(String name, JsonNode json) {
        try {
            writeText(name, JSON.writeValueAsString(json) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + root.resolve(name), e);
        }
    }
}
