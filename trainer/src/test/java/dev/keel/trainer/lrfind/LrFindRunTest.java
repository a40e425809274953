package dev.keel.trainer.lrfind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.trainer.cli.KeelCli;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.run.RunOutcome;
import dev.keel.trainer.run.TrainingRun;
import dev.keel.trainer.session.RunOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code keel lr-find} and {@code optimizer.lr: auto} on the bundled Fashion-MNIST sample. */
class LrFindRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            name: sample
            seed: 5
            device: cpu
            data: {dataset: fashion-mnist, batch_size: 128}
            model: {arch: cnn, channels: [8, 16], hidden: [32]}
            optimizer: {name: adamw, lr: %s}
            train: {epochs: 1, log_every_steps: 5}
            """;

    @TempDir
    Path temp;

    @Test
    void lrFindWritesTheSweepItsSuggestionsAndAPlot() throws IOException {
        RunConfig config = ConfigLoader.fromYaml("sample.yaml", CONFIG.formatted("0.003"),
                List.of("lr_find.start_lr=1e-6", "lr_find.end_lr=1", "lr_find.steps=30"));
        Console console = new Console();
        LrFindRun.Outcome outcome = new LrFindRun(config, context(console, null)).run();

        Path run = outcome.runDir();
        assertTrue(run.getFileName().toString().endsWith("-sample-lr-find"), run.toString());
        for (String file : List.of("config.yaml", "provenance.json", "lr_find.csv", "lr_find.json", "lr_find.png")) {
            assertTrue(Files.isRegularFile(run.resolve(file)), file);
        }
        JsonNode provenance = JSON.readTree(run.resolve("provenance.json").toFile());
        assertTrue(provenance.hasNonNull("onednn_max_cpu_isa") && provenance.hasNonNull("onednn_isa_reason"),
                provenance.toString());
        JsonNode json = JSON.readTree(run.resolve("lr_find.json").toFile());
        assertEquals(outcome.result().steps(), json.get("steps").asInt());
        assertEquals(outcome.result().steps() + 1, Files.readAllLines(run.resolve("lr_find.csv")).size());
        // The suggestion is the bottom/10 (the default) of the sweep recorded in lr_find.csv, read from a
        // bottom that holds the lowest loss, below the sweep's first.
        List<String> rows = Files.readAllLines(run.resolve("lr_find.csv"));
        double[] lrs = rows.stream().skip(1).mapToDouble(row -> Double.parseDouble(row.split(",")[1])).toArray();
        double[] smoothed = rows.stream().skip(1).mapToDouble(row -> Double.parseDouble(row.split(",")[3])).toArray();
        LrSuggestions recorded = LrSuggestions.of(lrs, smoothed, 30);
        assertEquals(String.format("%.3g", recorded.bottomDiv10()),
                String.format("%.3g", json.get("suggestion").asDouble()));
        assertEquals(lrs[recorded.bottomFrom()], json.path("bottom").path("from_lr").asDouble(), 0);
        assertEquals(lrs[recorded.bottomTo()], json.path("bottom").path("to_lr").asDouble(), 0);
        assertTrue(smoothed[recorded.bottomTo()] < smoothed[0], "the loss at the bottom's end, "
                + smoothed[recorded.bottomTo()] + ", is below the sweep's first, " + smoothed[0]);
        String text = console.text();
        assertTrue(text.contains("suggestions: bottom/10") && text.contains("(chosen)"), text);
        assertEquals(30, json.get("steps_requested").asInt());
        assertEquals("bottom_div_10", json.get("suggested_by").asText());
        assertTrue(text.contains("to train with it: --set optimizer.lr="), text);
    }

    @Test
    void autoLrSweepsFirstThenTrainsExactlyAsTheChosenFixedRateWould() throws IOException {
        Console autoConsole = new Console();
        RunConfig auto = ConfigLoader.fromYaml("sample.yaml", CONFIG.formatted("auto"), List.of());
        RunOutcome autoRun = new TrainingRun(auto, context(autoConsole, temp.resolve("auto"))).run();
        Path run = autoRun.runDir();

        double chosen = JSON.readTree(run.resolve("lr_find.json").toFile()).get("suggestion").asDouble();
        assertTrue(autoConsole.text().contains("lr: auto; sweeping"), autoConsole.text());
        assertTrue(Files.isRegularFile(run.resolve("lr_find.png")));
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("lr: auto"), "config.yaml keeps auto");
        assertTrue(ConfigLoader.load(run.resolve("config.yaml"), List.of()).optimizer().lr().auto());
        assertEquals(chosen, JSON.readTree(run.resolve("provenance.json").toFile()).get("lr").asDouble(), 0);

        List<JsonNode> lines = Files.readAllLines(run.resolve("metrics.jsonl")).stream().map(parse()).toList();
        JsonNode first = lines.get(0);
        assertEquals("lr_find", first.get("kind").asText());
        assertEquals(chosen, first.get("lr").asDouble(), 0);
        double peak = lines.stream().filter(l -> l.get("kind").asText().equals("step"))
                .mapToDouble(l -> l.get("lr").asDouble()).max().orElseThrow();
        assertTrue(peak <= chosen * (1 + 1e-6) && peak > chosen / 2, "one-cycle peaks at the chosen " + chosen
                + ", logged peak " + peak);
        assertEquals("completed", JSON.readTree(run.resolve("summary.json").toFile()).get("status").asText());
        assertTrue(Files.isRegularFile(run.resolve("plots/lr_find.png")), "the report draws the sweep again");
        assertTrue(Files.readString(run.resolve("report.html")).contains("plots/lr_find.png"));
        assertTrue(autoConsole.text().contains("report: " + run.resolve("report.html")), autoConsole.text());

        // The sweep restored the model exactly: training with the chosen rate written out gives the
        // very same result.
        RunConfig fixed = ConfigLoader.fromYaml("sample.yaml", CONFIG.formatted("auto"),
                List.of("optimizer.lr=" + chosen));
        RunOutcome fixedRun = new TrainingRun(fixed, context(new Console(), temp.resolve("fixed"))).run();
        assertEquals(fixedRun.test().loss(), autoRun.test().loss(), 0);
        assertEquals(fixedRun.test().accuracy(), autoRun.test().accuracy(), 0);
    }

    @Test
    void badSweepOptionsAreAUsageErrorNamingTheOption() {
        StringWriter err = new StringWriter();
        CommandLine cli = KeelCli.commandLine();
        cli.setErr(new PrintWriter(err));
        Path config = temp.resolve("sample.yaml");
        int code;
        try {
            Files.writeString(config, CONFIG.formatted("0.003"));
            code = cli.execute("lr-find", config.toString(), "--steps", "1");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(KeelCli.EXIT_USAGE, code);
        assertTrue(err.toString().contains("lr_find.steps") && err.toString().contains("an integer >= 2"),
                err.toString());
    }

    private RunOptions context(Console console, Path runDir) {
        DatasetResolver resolver = new DatasetResolver(name -> null,
                Map.of("fashion-mnist", temp.resolve("no-debian-package")));
        return new RunOptions("sample.yaml", List.of("test"), temp.resolve("runs"), runDir, console.out,
                false, resolver);
    }

    private static Function<String, JsonNode> parse() {
        return line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException(line, e);
            }
        };
    }

    /** A PrintStream whose text the test can read. */
    private static final class Console {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
