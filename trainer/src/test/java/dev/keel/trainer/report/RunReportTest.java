package dev.keel.trainer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keel.trainer.plot.Charts;
import dev.keel.trainer.track.WriteFailedException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** report.html and plots/ from a run directory written by hand. */
class RunReportTest {
    private static final Pattern DATA_URI = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");
    private static final List<String> PLOTS = List.of("loss.png", "accuracy.png", "lr.png", "momentum.png",
            "lr_find.png");

    @TempDir
    Path temp;

    @Test
    void theReportIsOneFileThatFetchesNothing() throws IOException {
        String html = Files.readString(RunReport.write(FakeRun.write(temp.resolve("run"))));

        for (String external : List.of("http:", "https:", "ftp:", "file:", "<link", "<script", "url(", "@import",
                "<iframe", "<object", "<embed")) {
            assertFalse(html.contains(external), "the page holds " + external);
        }
        Matcher sources = Pattern.compile("(src|href)=\"([^\"]*)\"").matcher(html);
        while (sources.find()) {
            assertTrue(sources.group(2).startsWith("data:image/png;base64,"), "a reference to a file: "
                    + sources.group(0).substring(0, Math.min(80, sources.group(0).length())));
        }
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.endsWith("</html>\n"));
        assertTrue(html.contains("<style>"), "the style is inline");
    }

    @Test
    void theReportShowsTheSummaryProvenanceAndConfig() throws IOException {
        String html = Files.readString(RunReport.write(FakeRun.write(temp.resolve("run"))));

        assertTrue(html.contains("class=\"status completed\">completed<"), "status");
        for (String shown : List.of("87.65%", "0.3456", "87.12%", "0.3621", "42.2 s", "38.5 s", "120",
                "abc1234", "keel train configs/fake.yaml --set train.epochs=3", "0.0115 (lr_find minimum_div_10)",
                "PyTorch 2.7.1", "cpu()", "lr: auto", "AVX2 (set in the environment)")) {
            assertTrue(html.contains(shown), "the report shows " + shown);
        }
        assertFalse(html.contains("<h2>Interpretation</h2>"), "no interpret/, no section");
        assertFalse(html.contains("<h2>Data</h2>"), "no data_report.json, no section");
    }

    @Test
    void aChartThatHitsAFullDiskFailsTheReportAsAWriteFailure() throws IOException {
        Path devFull = Path.of("/dev/full");
        assumeTrue(Files.exists(devFull), "Linux's /dev/full answers every write with ENOSPC");
        Path run = FakeRun.write(temp.resolve("run"));
        Files.createSymbolicLink(Files.createDirectories(run.resolve("plots")).resolve(".lr.png.tmp"), devFull);

        WriteFailedException e = assertThrows(WriteFailedException.class, () -> RunReport.write(run));

        assertTrue(e.diskFull(), e.getMessage());
        assertEquals(run.resolve("plots/lr.png"), e.path());
        assertFalse(Files.exists(run.resolve(RunReport.FILE)));
    }

    @Test
    void everyPlotIsWrittenAsAPngOfTheChartSizeAndInlined() throws IOException {
        Path run = FakeRun.write(temp.resolve("run"));
        String html = Files.readString(RunReport.write(run));

        List<byte[]> inlined = new ArrayList<>();
        Matcher uris = DATA_URI.matcher(html);
        while (uris.find()) {
            inlined.add(Base64.getDecoder().decode(uris.group(1)));
        }
        assertEquals(PLOTS.size(), inlined.size(), "one data URI per plot");
        for (int i = 0; i < PLOTS.size(); i++) {
            Path file = run.resolve("plots").resolve(PLOTS.get(i));
            byte[] png = Files.readAllBytes(file);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(Charts.WIDTH, image.getWidth(), file.toString());
            assertEquals(Charts.HEIGHT, image.getHeight(), file.toString());
            assertTrue(Arrays.equals(png, inlined.get(i)), "the page inlines " + file + " itself");
            assertTrue(html.contains("plots/" + PLOTS.get(i)), "the caption names " + PLOTS.get(i));
        }
        try (Stream<Path> files = Files.list(run)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void aMetricsFileCutShortWithUnknownKindsStillReports() throws IOException {
        Path run = FakeRun.write(temp.resolve("run"));
        Files.delete(run.resolve("summary.json"));
        Files.writeString(run.resolve("metrics.jsonl"), "{\"kind\":\"rollback\",\"epoch\":1,\"step\":9}\n"
                + "{\"kind\":\"step\",\"epoch\":1,\"step\":10,\"lr\":0.001,\"momentum\":0.9,\"loss\":2.1}\n"
                + "{\"kind\":\"early_stop\",\"epoch\":1,\"step\":10}\n"
                + "{\"kind\":\"step\",\"epoch\":1,\"step\":20,\"lr\":0.002,\"momen", StandardCharsets.UTF_8);

        String html = Files.readString(RunReport.write(run));

        assertTrue(html.contains("No summary: the run has not finished"), "says the run has no summary");
        assertTrue(Files.isRegularFile(run.resolve("plots/loss.png")));
        assertTrue(Files.isRegularFile(run.resolve("plots/lr.png")));
        assertFalse(Files.exists(run.resolve("plots/accuracy.png")), "no epoch and no test: no accuracy chart");
    }

    @Test
    void aSummaryCutShortIsNamedAndTheRestStillReports() throws IOException {
        Path run = FakeRun.write(temp.resolve("run"));
        Files.writeString(run.resolve("summary.json"), "{\"status\": \"compl");

        String html = Files.readString(RunReport.write(run));

        assertTrue(html.contains("summary.json could not be read"), "names the file");
        assertTrue(html.contains("plots/loss.png"));
    }

    @Test
    void theInterpretationIsShownWithItsChartsAndTablesNamed() throws IOException {
        Path run = FakeRun.write(temp.resolve("run"));
        Path interpret = Files.createDirectories(run.resolve("interpret"));
        Files.writeString(interpret.resolve("interpretation.json"), """
                {"split": "test", "items": 1234, "accuracy": 0.9,
                 "classes": ["cat", "dog", "<b>bird & co</b>"],
                 "confusion": [[400, 10, 1], [20, 380, 0], [5, 6, 412]],
                 "per_class": [{"class": "cat", "precision": 0.94, "recall": 0.97, "f1": 0.955, "support": 411},
                               {"class": "dog", "precision": 0.96, "recall": 0.95, "f1": 0.955, "support": 400},
                               {"class": "<b>bird & co</b>", "precision": 0.99, "recall": 0.97, "f1": 0.98,
                                "support": 423}],
                 "macro_f1": 0.9633,
                 "top_losses": [{"item": "dog/0042.png", "true": "dog", "predicted": "cat", "confidence": 0.991,
                                 "loss": 5.25}],
                 "review_below": 0.5, "review_count": 17}
                """);
        byte[] confusion = Charts.png(Charts.xy("confusion", "x", "y"));
        Files.write(interpret.resolve("confusion.png"), confusion);
        Files.writeString(interpret.resolve("confusion.csv"), "true,cat,dog\n");
        Files.writeString(interpret.resolve("review.csv"), "item\n");

        String html = Files.readString(RunReport.write(run));

        assertTrue(html.contains("<h2>Interpretation</h2>"));
        for (String shown : List.of("1,234 items", "accuracy 90.00%", "macro F1 0.9633", "dog/0042.png", "99.10%",
                "5.2500", "17 items", "below 0.5", "interpret/confusion.csv", "interpret/review.csv",
                "<td class=\"right\">412</td>", "<td class=\"wrong\">20</td>")) {
            assertTrue(html.contains(shown), "the interpretation shows " + shown);
        }
        assertFalse(html.contains("interpret/per_class.csv"), "only the tables present are named");
        assertTrue(html.contains(Base64.getEncoder().encodeToString(confusion)), "confusion.png is inlined");
        assertFalse(html.contains("<b>bird"), "class names are escaped");
        assertTrue(html.contains("&lt;b&gt;bird &amp; co&lt;/b&gt;"), "and shown as they are");
    }

    @Test
    void theDataReportShowsClassCountsPerSplitAndTheFirstProblems() throws IOException {
        Path run = FakeRun.write(temp.resolve("run"));
        StringBuilder problems = new StringBuilder();
        for (int i = 0; i < DataReportSection.PROBLEMS_SHOWN + 3; i++) {
            problems.append(i == 0 ? "" : ",").append("{\"severity\":\"warning\",\"kind\":\"duplicate\",\"file\":")
                    .append("\"train/cat/").append(i).append(".png\",\"message\":\"same as <train/cat/0.png>\"}");
        }
        Files.writeString(run.resolve("data_report.json"), "{\"dataset\":\"pets\",\"errors\":0,\"warnings\":13,"
                + "\"class_counts\":{\"train\":{\"cat\":1500,\"dog\":1400},\"test\":{\"cat\":300,\"dog\":280}},"
                + "\"problems\":[" + problems + "],\"skipped\":[]}");

        String html = Files.readString(RunReport.write(run));

        assertTrue(html.contains("<h2>Data</h2>"));
        assertTrue(html.contains("<tr><td>cat</td><td>1,500</td><td>300</td></tr>"), "class counts per split");
        assertTrue(html.contains("train/cat/9.png"), "the tenth problem");
        assertFalse(html.contains("train/cat/10.png"), "not the eleventh");
        assertTrue(html.contains("3 more in data_report.json"));
        assertTrue(html.contains("same as &lt;train/cat/0.png&gt;"), "messages are escaped");
    }

    @Test
    void writingAgainReplacesTheReport() throws IOException {
        Path run = FakeRun.write(temp.resolve("run"));
        RunReport.write(run);
        Files.createDirectories(run.resolve("interpret"));
        Files.writeString(run.resolve("interpret/interpretation.json"), "{\"split\":\"test\",\"items\":10}");

        String html = Files.readString(RunReport.write(run));

        assertTrue(html.contains("<h2>Interpretation</h2>"));
        assertEquals(1, html.split("<h2>Summary</h2>", -1).length - 1);
    }
}
