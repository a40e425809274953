package dev.keel.drift;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs {@code keel drift} from the drift jar's command line in this JVM, as a user would type it. */
final class CommandLines {
    private CommandLines() {}

    /** What one command printed and returned. */
    record Result(int exit, String out, String err) {
        /** Everything printed, for messages. */
        String all() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** {@code keel args}, registry references resolved in {@code registry}. */
    static Result keel(Path registry, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = dev.keel.drift.cli.DriftCli.commandLine(registry);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }
}
