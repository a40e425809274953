package dev.keel.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keel drift RUN NEW.csv} on a tiny trained table, as a user runs it. */
class DriftCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void trainRun() throws IOException {
        Path table = TinyTableRuns.writeTable(dir.resolve("train.csv"), 400, 1, 0, true);
        run = TinyTableRuns.train(dir.resolve("run"), table, 7);
        // Training writes its resolved config without the drift: section its file had; a user adds one.
        assertFalse(Files.readString(run.resolve("config.yaml")).contains("drift"));
        Files.writeString(run.resolve("config.yaml"), "drift: {share: 0.25}\n", StandardOpenOption.APPEND);
    }

    @Test
    void newDataFromTheSameDistributionDriftsNowhere() throws IOException {
        Path fresh = TinyTableRuns.writeTable(dir.resolve("same.csv"), 300, 2, 0, true);
        Path out = dir.resolve("same-report");

        Cli.Result result = drift(run.toString(), fresh.toString(), "--out", out.toString());

        assertEquals(0, result.exit(), result.all());
        JsonNode report = JSON.readTree(out.resolve("drift.json").toFile());
        JsonNode table = report.path("sections").path("table");
        assertEquals(4, table.path("column_count").asInt());
        assertEquals(0, table.path("drifted_columns").asInt(), table.toPrettyString());
        assertEquals(300, table.path("new_rows").asInt());
        assertEquals(288, table.path("reference_rows").asInt(), "the training split: 400 rows less test and"
                + " validation");
        assertEquals(List.of("x1", "x2", "colour", "flag"), names(table.path("columns")));
        assertEquals(List.of("ks", "ks", "chisquare", "z"), values(table.path("columns"), "test"));
        assertFalse(report.path("drifted").asBoolean());
        assertEquals(7, report.path("seed").asLong(), "the reference run's seed");
        assertEquals(report.path("reference").path("dataset").path("sha256").asText().length(), 64);
        assertEquals(64, report.path("new_data").path("sha256").asText().length());
        assertTrue(result.out().startsWith("drift: 0 of 4 columns drifted (share 0.00 < 0.25): no dataset drift"
                + " · chi-squared 1, KS 2, Z 1 · reference 288 rows, new 300 rows · "), result.out());
        assertTrue(Files.readString(out.resolve("drift.html")).contains("Table columns"));
    }

    @Test
    void aColumnShiftedByOneStandardDeviationIsFoundAndTheOthersAreNot() throws IOException {
        Path shifted = TinyTableRuns.writeTable(dir.resolve("shifted.csv"), 300, 2, 1.0, false);
        Path out = dir.resolve("shifted-report");

        Cli.Result result = drift(run.toString(), shifted.toString(), "--out", out.toString());

        assertEquals(4, result.exit(), "one column of four reaches the run's drift.share of 0.25: " + result.all());
        JsonNode table = JSON.readTree(out.resolve("drift.json").toFile()).path("sections").path("table");
        JsonNode x1 = table.path("columns").get(0);
        assertEquals("x1", x1.path("column").asText());
        assertTrue(x1.path("drifted").asBoolean(), x1.toString());
        assertTrue(x1.path("statistic").asDouble() > 0.3 && x1.path("p_value").asDouble() < 1e-10, x1.toString());
        assertEquals(List.of(true, false, false, false), drifted(table.path("columns")));
        assertTrue(result.out().startsWith("drift: 1 of 4 columns drifted (share 0.25 >= 0.25): dataset drift"),
                result.out());
        JsonNode report = JSON.readTree(out.resolve("drift.json").toFile());
        assertEquals(run.resolve("config.yaml").toString(), report.path("config_source").asText());
        assertTrue(report.path("drifted").asBoolean());
        assertEquals(4, report.path("exit_code").asInt());
        String page = Files.readString(out.resolve("drift.html"));
        String tableSection = page.substring(page.indexOf("Table columns"), page.indexOf("Predictions"));
        assertEquals(1, tableSection.split("data:image/png;base64,", -1).length - 1,
                "a histogram for the drifted column");
        assertTrue(report.path("sections").has("predictions"), "the model's predictions on the new rows");
    }

    @Test
    void aConfigFileChoosesTheTestsAndThresholds() throws IOException {
        Path shifted = TinyTableRuns.writeTable(dir.resolve("shifted-small.csv"), 200, 3, 1.0, true);
        Path config = Files.writeString(dir.resolve("drift.yaml"), """
                drift:
                  share: 0.5
                  reference_size_limit: 100
                  wasserstein: 0.5
                """);
        Path out = dir.resolve("configured");

        Cli.Result result = drift(run.toString(), shifted.toString(), "--out", out.toString(), "--config",
                config.toString());

        assertEquals(0, result.exit(), "one column of four is under the file's share of 0.5: " + result.all());
        JsonNode report = JSON.readTree(out.resolve("drift.json").toFile());
        JsonNode columns = report.path("sections").path("table").path("columns");
        assertEquals(List.of("wasserstein", "wasserstein", "jensenshannon", "jensenshannon"), values(columns, "test"),
                "288 reference rows are over the limit of 100: distances");
        assertEquals(List.of(true, false, false, false), drifted(columns));
        assertEquals(0.5, columns.get(0).path("threshold").asDouble());
        assertTrue(columns.get(0).path("distance").asDouble() > 0.5, columns.get(0).toString());
        assertEquals(config.toString(), report.path("config_source").asText());
        assertEquals(100, report.path("config").path("reference_size_limit").asInt());
    }

    @Test
    void missingValuesAndUnseenCategoriesAreReported() throws IOException {
        Path fresh = Files.writeString(dir.resolve("odd.csv"), """
                x1,x2,colour,flag
                0.1,0.5,red,yes
                NA,0.2,purple,no
                -0.3,,red,yes
                0.7,0.9,purple,yes
                """);
        Path out = dir.resolve("odd-report");

        Cli.Result result = drift(run.toString(), fresh.toString(), "--out", out.toString());

        JsonNode columns = JSON.readTree(out.resolve("drift.json").toFile()).path("sections").path("table")
                .path("columns");
        assertEquals(0.25, columns.get(0).path("new_missing_rate").asDouble(), result.all());
        assertEquals(3, columns.get(0).path("new_size").asInt());
        assertEquals(0.0, columns.get(0).path("reference_missing_rate").asDouble());
        JsonNode colour = columns.get(2);
        assertEquals(2, colour.path("unseen_categories").path("purple").asInt(), colour.toString());
        assertEquals(0.0, colour.path("p_value").asDouble(), "a category the reference never has");
        assertTrue(colour.path("drifted").asBoolean());
    }

    @Test
    void aRegisteredVersionIsAReferenceToo() throws IOException {
        Path registry = dir.resolve("registry.db");
        assertEquals(0, Cli.keel(registry, "registry", "register", run.toString(), "--name", "table",
                "--registry", registry.toString()).exit());
        assertEquals(0, Cli.keel(registry, "registry", "promote", "table", "1", "--to", "production",
                "--registry", registry.toString()).exit());
        Path fresh = TinyTableRuns.writeTable(dir.resolve("registered.csv"), 100, 4, 0, true);
        Path out = dir.resolve("registered-report");

        Cli.Result result = drift("table@production", fresh.toString(), "--out", out.toString(), "--seed",
                "99");

        assertEquals(0, result.exit(), result.all());
        JsonNode report = JSON.readTree(out.resolve("drift.json").toFile());
        assertEquals("table@production", report.path("reference").path("name").asText());
        assertEquals(run.toAbsolutePath().toString(), report.path("reference").path("run_dir").asText());
        assertEquals(1, report.path("reference").path("registry_version").path("version").asInt(),
                report.path("reference").toPrettyString());
        assertEquals(99, report.path("seed").asLong());
    }

    private static Cli.Result drift(String... args) {
        List<String> all = new ArrayList<>(List.of("drift"));
        all.addAll(List.of(args));
        return Cli.keel(dir.resolve("registry.db"), all.toArray(String[]::new));
    }

    private static List<String> names(JsonNode columns) {
        return values(columns, "column");
    }

    private static List<String> values(JsonNode columns, String key) {
        List<String> values = new ArrayList<>();
        columns.forEach(c -> values.add(c.path(key).asText()));
        return values;
    }

    private static List<Boolean> drifted(JsonNode columns) {
        List<Boolean> values = new ArrayList<>();
        columns.forEach(c -> values.add(c.path("drifted").asBoolean()));
        return values;
    }
}
