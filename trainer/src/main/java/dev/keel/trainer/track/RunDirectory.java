package dev.keel.trainer.track;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.keel.trainer.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A run's folder: {@code config.yaml}, {@code provenance.json}, {@code metrics.jsonl},
 * {@code model/} and {@code summary.json}. Files are written whole to a temporary name and then
 * renamed, so a reader never sees half a file. An open run directory is locked ({@link RunLock}):
 * one process at a time trains, resumes or sweeps in it.
 */
public final class RunDirectory implements AutoCloseable {
    /** Indented JSON, as run files are written. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path root;
    private final RunLock lock;
    private final boolean created;

    private RunDirectory(Path root, RunLock lock, boolean created) {
        this.root = root;
        this.lock = lock;
        this.created = created;
    }

    /**
     * Creates a new run folder, locked for this process: {@code explicit} when given (it must be
     * absent or empty), else {@code runs/<time>-<name>} under {@code runsRoot}.
     *
     * @param commandLine this process's command, recorded in the lock
     * @throws ConfigException when {@code explicit} already holds files or a folder cannot be made there
     * @throws WriteFailedException when the disk is full
     */
    public static RunDirectory create(Path runsRoot, String name, Path explicit, List<String> commandLine) {
        String option = explicit != null ? "--run-dir" : "--runs-root";
        Path folder;
        if (explicit != null) {
            requireFolderOrAbsent(option, explicit);
            if (Files.isDirectory(explicit)) {
                try (var entries = Files.list(explicit)) {
                    if (entries.findAny().isPresent()) {
                        throw new ConfigException("--run-dir " + explicit
                                + ": already holds files (expected a new or empty folder)");
                    }
                } catch (IOException e) {
                    throw new ConfigException("--run-dir " + explicit + ": cannot be read (" + reason(e) + ")");
                }
            }
            folder = explicit;
        } else {
            requireFolderOrAbsent(option, runsRoot);
            String id = LocalDateTime.now().format(ID_TIME) + "-" + name;
            folder = runsRoot.resolve(id);
            for (int n = 2; Files.exists(folder); n++) {
                folder = runsRoot.resolve(id + "-" + n);
            }
        }
        boolean existed = Files.isDirectory(folder);
        createFolder(option, folder);
        return new RunDirectory(folder, RunLock.acquire(folder, commandLine), !existed);
    }

    /**
     * Opens an existing run folder, to resume it, and locks it for this process.
     *
     * @throws ConfigException when the folder does not exist or another process holds it
     */
    public static RunDirectory open(Path existing, List<String> commandLine) {
        if (!Files.isDirectory(existing)) {
            throw new ConfigException(existing + ": no such run directory");
        }
        return new RunDirectory(existing, RunLock.acquire(existing, commandLine), false);
    }

    private static void requireFolderOrAbsent(String option, Path path) {
        for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new ConfigException(option + " " + path + ": " + (p.equals(path.toAbsolutePath()) ? "is a file"
                        : p + " is a file") + " (expected a folder)");
            }
        }
    }

    private static void createFolder(String option, Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            WriteFailedException failure = WriteFailedException.of(folder, e);
            if (failure.diskFull()) {
                throw failure;
            }
            throw new ConfigException(option + " " + folder + ": cannot create the run directory (" + reason(e) + ")");
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "the file system refuses it: no such file or directory";
        }
        return IoErrors.reason(e);
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
        Path dir = root.resolve("model");
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw WriteFailedException.of(dir, e);
        }
    }

    /** Writes {@code name} as UTF-8 text, atomically; a failed write leaves no temporary file. */
    public void writeText(String name, String text) {
        writeAtomically(root.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes {@code bytes} to {@code target} through a temporary file renamed over it, so a reader
     * sees the old file or the new one, never part of one; a failed write leaves no temporary file.
     *
     * @throws WriteFailedException naming {@code target} (and whether the disk is full)
     */
    public static void writeAtomically(Path target, byte[] bytes) {
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Files.write(temp, bytes);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw WriteFailedException.of(target, e);
        }
    }

    /** Writes {@code name} as indented JSON, atomically. */
    public void writeJson(String name, JsonNode json) {
        try {
            writeText(name, JSON.writeValueAsString(json) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + name, e);
        }
    }

    /**
     * Deletes what the run has written (it is being started over, or it failed before it recorded
     * anything): every file but the lock, and the folder itself when {@code folderToo} and this
     * process created it.
     */
    public void clear(boolean folderToo) {
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.toList()) {
                if (!entry.getFileName().toString().equals(RunLock.FILE)) {
                    deleteRecursively(entry);
                }
            }
        } catch (IOException e) {
            throw WriteFailedException.of(root, e);
        }
        if (folderToo && created) {
            lock.close();
            try {
                deleteRecursively(root);
            } catch (IOException e) {
                throw WriteFailedException.of(root, e);
            }
        }
    }

    /** Deletes {@code path}, a file or a folder with everything in it; absent is fine. */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Deletes a temporary file or folder left by a failed write; a failure to delete is not news. */
    public static void deleteQuietly(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException e) {
            // Already failing: the original error is the one to report.
        }
    }

    /** Releases the run directory for other processes. */
    @Override
    public void close() {
        lock.close();
    }
}
