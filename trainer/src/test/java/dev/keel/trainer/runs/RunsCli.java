package dev.keel.trainer.runs;

import dev.keel.trainer.cli.KeelCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** {@code keel} run in-process with its output and errors captured, as a user would see them. */
record RunsCli(int exit, String out, String err) {
    static RunsCli keel(String... args) {
        CommandLine cli = KeelCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return new RunsCli(cli.execute(args), out.toString(), err.toString());
    }
}
