package dev.keel.trainer;

import dev.keel.trainer.cli.KeelCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * {@code keel} run in-process with everything it prints captured: what the commands write to
 * {@code System.out} and {@code System.err} (predictions, per-input failures, warnings) and what
 * the command line writes (usage errors, the one-line error of a refused input).
 *
 * @param exit the exit code
 * @param out standard output
 * @param err standard error
 */
public record KeelRun(int exit, String out, String err) {
    /** Runs {@code keel args...}. */
    public static KeelRun of(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cli = KeelCli.commandLine();
            cli.setOut(new PrintWriter(System.out, true));
            cli.setErr(new PrintWriter(System.err, true));
            int exit = cli.execute(args);
            System.out.flush();
            System.err.flush();
            return new KeelRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    /** The lines of standard error that report an error: they start with {@code keel: }, warnings aside. */
    public long errorLines() {
        return err.lines().filter(l -> l.startsWith("keel: ") && !l.startsWith("keel: warning: ")).count();
    }

    /** Both outputs, for assertion messages. */
    public String output() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
