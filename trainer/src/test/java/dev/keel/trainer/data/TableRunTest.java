package dev.keel.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.serving.table.TableTransform;
import dev.keel.trainer.cli.KeelCli;
import dev.keel.trainer.track.GsonTrees;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A CSV table through the command line: it trains, and its fitted transform is saved with the model. */
class TableRunTest {
    @TempDir
    Path temp;

    private record Result(int exit, String out, String err) {}

    private static Result keel(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cli = KeelCli.commandLine();
            cli.setErr(new PrintWriter(err));
            return new Result(cli.execute(args), out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }

    /** Two classes a tabular model separates: y = x1 + (colour is red) > 1, with gaps and a categorical column. */
    private Path table(String extraRows) throws Exception {
        StringBuilder csv = new StringBuilder("x1;x2;colour;label\n");
        Random random = new Random(1);
        for (int i = 0; i < 400; i++) {
            double x1 = random.nextDouble() * 2;
            String colour = random.nextBoolean() ? "red" : "blue";
            String x2 = i % 10 == 0 ? "NA" : String.format(Locale.ROOT, "%.3f", random.nextGaussian());
            boolean yes = x1 + (colour.equals("red") ? 0.8 : 0) > 1.4;
            csv.append(String.format(Locale.ROOT, "%.4f;%s;\"%s\";%s%n", x1, x2, colour, yes ? "yes" : "no"));
        }
        csv.append(extraRows);
        return Files.writeString(temp.resolve("table.csv"), csv.toString());
    }

    private Path config(Path table, String badItems) throws Exception {
        return Files.writeString(temp.resolve("table-" + badItems + ".yaml"), """
                name: table
                seed: 4
                device: cpu
                data: {format: csv, path: %s, label_column: label, delimiter: ";", bad_items: %s, batch_size: 32}
                model: {arch: tabular-mlp, hidden: [32, 16], dropout: 0}
                optimizer: {lr: 0.01}
                train: {epochs: 8}
                """.formatted(table, badItems));
    }

    @Test
    void trainsAndSavesTheTransformItWasTrainedWith() throws Exception {
        Path run = temp.resolve("run");
        Result result = keel("train", config(table(""), "fail").toString(), "--run-dir", run.toString());
        assertEquals(0, result.exit(), result.out() + result.err());
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertTrue(summary.get("test").get("accuracy").asDouble() > 0.85, summary.toString());
        assertTrue(result.out().contains("test: accuracy") && result.out().contains(" rows"), result.out());
        JsonNode model = new ObjectMapper().readTree(run.resolve("model/keel-model.json").toFile());
        TableTransform saved = TableTransform.fromJson(GsonTrees.toGson(model.get("table_transform")));
        // x1, x2, the missing indicator of x2, and the two one-hot columns of colour.
        assertEquals(5, saved.featureNames().size(), saved.featureNames().toString());
        assertEquals("[5]", model.get("input_shape").toString());
        float[] encoded = saved.apply(new String[] {"1.0", "NA", "red", "yes"});
        assertArrayEquals(encoded, TableTransform.fromJson(saved.toJson()).apply(new String[] {"1.0", "NA", "red", "yes"}));
        assertTrue(Files.exists(run.resolve("data_report.json")));
    }

    @Test
    void badRowsStopTheRunOrAreSkipped() throws Exception {
        Path table = table("0.5;1.0;red\n0.5;abc;blue;no\n");
        Result failing = keel("train", config(table, "fail").toString(), "--runs-root", temp.resolve("runs").toString());
        assertEquals(KeelCli.EXIT_USAGE, failing.exit(), failing.err());
        assertTrue(failing.err().contains(table + ":402"), failing.err());
        assertFalse(Files.exists(temp.resolve("runs")));
        Path run = temp.resolve("skip-run");
        Result skipping = keel("train", config(table, "skip").toString(), "--run-dir", run.toString());
        assertEquals(0, skipping.exit(), skipping.out() + skipping.err());
        JsonNode report = new ObjectMapper().readTree(run.resolve("data_report.json").toFile());
        assertEquals(2, report.get("skipped").size(), report.toString());
    }
}
