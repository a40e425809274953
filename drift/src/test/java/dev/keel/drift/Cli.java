package dev.keel.drift;

import dev.keel.drift.cli.DriftCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs Keel's command line from the drift jar in this JVM, as a user would type it. */
public final class Cli {
    private Cli() {}

    /** What one command printed and returned; {@code out} holds what it printed on System.out too. */
    public record Result(int exit, String out, String err) {
        /** Everything printed, for messages. */
        public String all() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** {@code keel args}, registry references resolved in {@code db}. */
    public static Result keel(Path db, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        int exit;
        try (PrintStream captured = new PrintStream(stdout, true, StandardCharsets.UTF_8)) {
            System.setOut(captured);
            var cli = DriftCli.commandLine(db);
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            exit = cli.execute(args);
        } finally {
            System.setOut(previous);
        }
        return new Result(exit, out + stdout.toString(StandardCharsets.UTF_8), err.toString());
    }
}
