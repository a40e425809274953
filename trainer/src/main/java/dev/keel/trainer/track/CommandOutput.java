package dev.keel.trainer.track;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The output of a short external command (git, nvidia-smi) that provenance records. */
final class CommandOutput {
    private static final long TIMEOUT_SECONDS = 5;

    private CommandOutput() {}

    /**
     * What {@code command} printed (stdout and stderr, trimmed), run in {@code dir} ({@code Path.of("")}:
     * the working directory); null when it is not installed, fails, or does not finish within five seconds.
     */
    static String of(Path dir, String... command) {
        Process process;
        try {
            // Absolute: the OS cannot change into "", which is how Path.of("") names the working directory.
            File folder = dir.toAbsolutePath().toFile();
            process = new ProcessBuilder(command).directory(folder).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null; // not installed
        }
        // Read beside the wait: nvidia-smi can hang on a wedged driver, and a blocking read would hang the run.
        // On a thread of its own: the common pool, which the data loaders use, may have a single thread.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, task -> {
            Thread reader = new Thread(task, "keel-command-output");
            reader.setDaemon(true);
            reader.start();
        });
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                return null;
            }
            String text = output.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return process.exitValue() == 0 ? text : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } finally {
            process.destroyForcibly(); // a no-op once it has ended
        }
    }
}
