package dev.keel.registry;

import dev.keel.registry.cli.RegistryCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs Keel's command line from the registry jar in this JVM, as a user would type it. */
public final class Cli {
    private Cli() {}

    /** What one command printed and returned; {@code out} holds what it printed on System.out too. */
    public record Result(int exit, String out, String err) {
        /** Everything printed, for messages. */
        public String all() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** {@code keel registry args --registry db}. */
    public static Result registry(Path db, String... args) {
        List<String> all = new ArrayList<>(List.of("registry"));
        all.addAll(List.of(args));
        all.addAll(List.of("--registry", db.toString()));
        return keel(db, all.toArray(String[]::new));
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
            var cli = RegistryCli.commandLine(db);
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            exit = cli.execute(args);
        } finally {
            System.setOut(previous);
        }
        return new Result(exit, out + stdout.toString(StandardCharsets.UTF_8), err.toString());
    }
}
