package dev.keel.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad usage, configs and data end with exit code 2 and one message, never a stack trace. */
class KeelCliTest {
    @TempDir
    Path temp;

    private record Result(int exit, String err) {}

    private static Result keel(String... args) {
        CommandLine cli = KeelCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return new Result(cli.execute(args), err.toString());
    }

    private static void assertUsageError(Result result, String... fragments) {
        assertEquals(KeelCli.EXIT_USAGE, result.exit(), result.err());
        for (String fragment : fragments) {
            assertTrue(result.err().contains(fragment), "missing '" + fragment + "' in: " + result.err());
        }
        assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
    }

    @Test
    void badValueInConfigNamesFileKeyAndValue() throws Exception {
        Path config = Files.writeString(temp.resolve("bad.yaml"), "train: {epochs: -1}\n");
        assertUsageError(keel("train", config.toString()), "bad.yaml: train.epochs: found -1, expected an integer >= 1");
    }

    @Test
    void badOverrideNamesTheOverride() throws Exception {
        Path config = Files.writeString(temp.resolve("ok.yaml"), "name: ok\n");
        assertUsageError(keel("train", config.toString(), "--set", "optimizer.name=rmsprop"),
                "(--set optimizer.name=rmsprop): optimizer.name: found \"rmsprop\", expected one of sgd, adam, adamw");
    }

    @Test
    void missingConfigFile() {
        assertUsageError(keel("train", temp.resolve("absent.yaml").toString()), "absent.yaml: config file not found");
    }

    @Test
    void missingDataFolder() throws Exception {
        Path config = Files.writeString(temp.resolve("data.yaml"), "data: {path: " + temp.resolve("nowhere") + "}\n");
        assertUsageError(keel("train", config.toString(), "--run-dir", temp.resolve("run").toString()),
                "nowhere: data.path is not a folder");
        assertFalse(Files.exists(temp.resolve("run")), "no run directory for a run that could not start");
        assertUsageError(keel("lr-find", config.toString(), "--run-dir", temp.resolve("sweep").toString()),
                "nowhere: data.path is not a folder");
        assertFalse(Files.exists(temp.resolve("sweep")), "no run directory for a sweep that could not start");
    }

    @Test
    void resumeOfAFolderThatIsNoRun() {
        assertUsageError(keel("resume", temp.toString()), "not a Keel run directory");
    }

    @Test
    void unknownCommandAndBadLrFindOptions() throws Exception {
        assertEquals(KeelCli.EXIT_USAGE, keel("fly").exit());
        Path config = Files.writeString(temp.resolve("ok.yaml"), "name: ok\n");
        assertUsageError(keel("lr-find", config.toString(), "--steps", "1"), "lr_find.steps");
        assertUsageError(keel("lr-find", config.toString(), "--suggestion", "median"), "lr_find.suggestion");
    }
}
