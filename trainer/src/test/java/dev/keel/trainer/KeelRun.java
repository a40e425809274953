package dev.keel.trainer;

import dev.keel.trainer.cli.KeelCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * {@code keel} run in-process through its command line, as a user runs it, with what it printed:
 * the progress a run writes to standard output and the one-line errors the command line writes.
 *
 * @param exit the exit code the command returned
 * @param out what the command printed on standard output
 * @param err what the command printed as errors
 */
public record KeelRun(int exit, String out, String err) {
    /** Runs {@code keel args...}. */
    public static KeelRun of(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            // Commands that stream their own lines (predict) write to System.err directly.
            System.setErr(new PrintStream(systemErr, true, StandardCharsets.UTF_8));
            CommandLine cli = KeelCli.commandLine();
            cli.setOut(new PrintWriter(System.out, true));
            cli.setErr(new PrintWriter(err));
            int exit = cli.execute(args);
            return new KeelRun(exit, out.toString(StandardCharsets.UTF_8),
                    systemErr.toString(StandardCharsets.UTF_8) + err);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
    }

    /** Both outputs, for assertion messages. */
    public String output() {
        return out + err;
    }
}
