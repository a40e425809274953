package dev.keel.tune.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.tune.store.StudyStore;
import dev.keel.tune.study.Study;
import dev.keel.tune.study.StudyTrials;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** study.html from trials moved on as the study's driver moves them. */
class StudyReportTest {
    private static final Pattern DATA_URI = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");
    private static final Pattern REFERENCE = Pattern.compile("(src|href)=\"([^\"]*)\"");

    @TempDir
    Path folder;

    @Test
    void thePageHoldsEveryTrialTheBestAndTheRungDecisions() throws IOException {
        runReports(0, 2);
        Files.writeString(folder.resolve(StudyFiles.BEST_YAML), "name: best\n");

        String html = Files.readString(report().write(StudyFixture.finished(folder)));

        assertTrue(html.contains("<p class=\"status finished\">finished</p>"), "status");
        for (String shown : List.of("valid_accuracy, maximize", "tpe (seed 42)",
                "asha (grace 1, reduction 2, rungs at epochs 1, 2, last 4)",
                "5 of 5 started: 2 complete, 2 pruned, 1 failed", "10 of 20 (5 trials x 4 epochs): 50%")) {
            assertTrue(html.contains(shown), "the header shows " + shown);
        }
        assertTrue(html.contains("<p>Trial 2: valid_accuracy 0.9300 after 4 epochs. <a href=\""
                + "trials/trial-0002/report.html\">Its report</a>. Its config, for ./keel train: <a href=\"best.yaml\">"
                + "best.yaml</a>.</p>"),
                "the best trial, linked");
        assertTrue(html.contains("<tr><th>test accuracy</th><td>92.10%</td></tr>"), "the best trial's test accuracy");
        assertTrue(html.contains("<tr><th>optimizer.lr</th><td>0.001</td></tr>"), "the best trial's values");

        assertTrue(html.contains("<tr><th>trial</th><th>state</th><th>valid_accuracy</th><th>epochs</th>"
                + "<th>seconds</th><th>test accuracy</th><th>optimizer.lr</th><th>model.channels</th>"
                + "<th>data.batch_size</th><th>model.dropout</th><th>run</th><th>reason</th></tr>"), "the header row");
        assertTrue(html.contains("<tr><td>0</td><td>complete</td><td>0.9000</td><td>4</td><td>42.0</td>"
                + "<td>89.50%</td><td>0.003</td><td>[16,32]</td><td>64</td><td>0.1</td>"
                + "<td><a href=\"trials/trial-0000/report.html\">trials/trial-0000</a></td><td></td></tr>"), "trial 0");
        assertTrue(html.contains("<tr><td>1</td><td>pruned</td><td>0.6000</td><td>1</td><td>9.0</td><td>–</td>"
                + "<td>0.05</td><td>[24,48]</td><td>32</td><td>0.4</td><td>trials/trial-0001</td><td></td></tr>"),
                "trial 1: no report yet, no link");
        assertTrue(html.contains("<tr><td>3</td><td>failed</td><td>–</td><td>0</td><td>1.5</td><td>–</td>"
                + "<td>0.09</td><td>[16,32]</td><td>256</td><td>0</td><td>trials/trial-0003</td>"
                + "<td>out of memory &lt;allocating 2 GiB&gt;</td></tr>"), "trial 3 and its reason, escaped");
        assertFalse(html.contains(StudyFixture.FAILURE), "data never becomes markup");

        assertTrue(html.contains("<tr><th>trial</th><th>rung (epoch)</th><th>valid_accuracy</th><th>decision</th>"
                + "</tr>"), "the decisions' header");
        for (String decision : List.of("<tr><td>1</td><td>1</td><td>0.6000</td><td>paused</td></tr>",
                "<tr><td>2</td><td>2</td><td>0.8700</td><td>promoted</td></tr>",
                "<tr><td>0</td><td>2</td><td>0.8500</td><td>paused</td></tr>")) {
            assertTrue(html.contains(decision), "the decision " + decision);
        }
    }

    @Test
    void theChartsAreImagesInThePage() throws IOException {
        String html = report().page(StudyFixture.finished(folder));

        List<BufferedImage> images = new ArrayList<>();
        Matcher uris = DATA_URI.matcher(html);
        while (uris.find()) {
            images.add(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(uris.group(1)))));
        }
        assertEquals(6, images.size(), "the history, one chart a parameter (4), the rungs");
        for (BufferedImage image : images) {
            assertEquals(800, image.getWidth());
            assertEquals(500, image.getHeight());
        }
        for (String alt : List.of("Optimisation history", "optimizer.lr", "model.channels", "data.batch_size",
                "model.dropout", "Objective by epoch")) {
            assertTrue(html.contains("alt=\"" + alt + "\""), "the chart " + alt);
        }
    }

    @Test
    void thePageFetchesNothingAndLinksOnlyIntoTheStudy() throws IOException {
        runReports(0, 1, 2, 4);
        Files.writeString(folder.resolve(StudyFiles.BEST_YAML), "name: best\n");

        String html = report().page(StudyFixture.finished(folder));

        for (String external : List.of("http:", "https:", "ftp:", "file:", "<link", "<script", "url(", "@import",
                "<iframe", "<object", "<embed")) {
            assertFalse(html.contains(external), "the page holds " + external);
        }
        List<String> links = new ArrayList<>();
        Matcher references = REFERENCE.matcher(html);
        while (references.find()) {
            String target = references.group(2);
            if (references.group(1).equals("src")) {
                assertTrue(target.startsWith("data:image/png;base64,"), "an image from a file: " + target);
            } else {
                links.add(target);
            }
        }
        assertEquals(List.of("trials/trial-0002/report.html", "best.yaml", "trials/trial-0000/report.html",
                "trials/trial-0001/report.html", "trials/trial-0002/report.html", "trials/trial-0004/report.html"),
                links, "the best trial's report and config, then each trial's report that exists");
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.endsWith("</html>\n"));
    }

    @Test
    void aStudyWithoutACompletedTrialSaysSoAndStillShowsWhereItsTrialsStopped() {
        Study.Outcome running = new Study.Outcome("running", List.of(StudyTrials.report(StudyTrials.propose(folder, 0,
                Map.of("optimizer.lr", 0.01, "model.channels", 0.0, "data.batch_size", 32.0, "model.dropout", 0.3)),
                StudyFixture.OBJECTIVE, "interrupted", null, null, 5, 0.7)), List.of(
                        new StudyStore.Decision(0, 1, 0.7, "paused", 0)));

        String html = report().page(running);

        assertTrue(html.contains("<p class=\"status running\">running</p>"));
        assertTrue(html.contains("No trial has completed yet."));
        assertEquals(6, DATA_URI.matcher(html).results().count(),
                "the history and each parameter's chart show the trial where it stopped, and the rungs' chart");
        assertTrue(html.contains("<tr><td>0</td><td>1</td><td>0.7000</td><td>paused</td></tr>"));
    }

    private StudyReport report() {
        return new StudyReport(StudyFixture.setup(folder), "fashion", StudyFixture.PRUNER);
    }

    /** The report.html of these trials' runs, as a run writes it when it ends or pauses. */
    private void runReports(int... trials) throws IOException {
        for (int trial : trials) {
            Path runDir = Files.createDirectories(folder.resolve(String.format("trials/trial-%04d", trial)));
            Files.writeString(runDir.resolve("report.html"), "<!DOCTYPE html>\n");
        }
    }
}
