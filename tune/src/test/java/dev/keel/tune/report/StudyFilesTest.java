package dev.keel.tune.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.runs.StudyListing;
import dev.keel.tune.study.Study;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study's files as the driver has them written after each report. */
class StudyFilesTest {
    @TempDir
    Path folder;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Test
    void everyWriteRefreshesThePageBesideTrialsCsvAndStudyJson() throws IOException {
        trialConfigs();
        StudyFiles files = files();
        Study.Outcome finished = StudyFixture.finished(folder);

        files.write(new Study.Outcome("running", finished.trials().subList(0, 2), finished.decisions().subList(0, 2)));
        String running = Files.readString(folder.resolve(StudyReport.FILE));
        files.write(finished);
        String page = Files.readString(folder.resolve(StudyReport.FILE));

        assertTrue(running.contains("<p class=\"status running\">running</p>"), "the page after a report");
        assertTrue(page.contains("<p class=\"status finished\">finished</p>"), "the page at the end");
        assertTrue(page.contains("<a href=\"best.yaml\">best.yaml</a>"), "best.yaml, written before the page");
        JsonNode json = new ObjectMapper().readTree(folder.resolve(StudyFiles.STUDY_JSON).toFile());
        assertEquals(10, json.get("epochs_trained").asInt());
        assertEquals(StudyFixture.MAX_EPOCHS, json.get("max_epochs").asInt());
        assertEquals(2, json.get("best").get("trial").asInt());
        assertEquals(6, Files.readAllLines(folder.resolve(StudyFiles.TRIALS_CSV)).size());
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aPageThatCannotBeWrittenCostsTheStudyOneWarning() throws IOException {
        trialConfigs();
        Files.writeString(Files.createDirectories(folder.resolve(StudyReport.FILE)).resolve("in-the-way"), "x");
        StudyFiles files = files();

        files.write(StudyFixture.finished(folder));
        files.write(StudyFixture.finished(folder));

        List<String> warnings = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("warning: study.html not written: "), warnings.get(0));
        assertTrue(warnings.get(0).endsWith("; the study goes on, and tries again after each report"), warnings.get(0));
        assertTrue(Files.isRegularFile(folder.resolve(StudyFiles.STUDY_JSON)));
        assertTrue(Files.isRegularFile(folder.resolve(StudyFiles.TRIALS_CSV)));
    }

    @Test
    void keelRunsReadsTheStudyJsonItWrites() throws IOException {
        Path root = folder.resolve("studies");
        Path study = Files.createDirectories(root.resolve("20261203-100000-fashion"));
        for (int trial = 0; trial < 5; trial++) {
            Path runDir = Files.createDirectories(study.resolve(String.format("trials/trial-%04d", trial)));
            Files.writeString(runDir.resolve("config.yaml"), "name: fashion\n");
        }
        new StudyFiles(StudyFixture.setup(study), "fashion", StudyFixture.PRUNER,
                new PrintStream(printed, true, StandardCharsets.UTF_8)).write(StudyFixture.finished(study));

        List<String> lines = StudyListing.read(root).lines();

        assertEquals(2, lines.size(), lines.toString());
        assertEquals(List.of("20261203-100000-fashion", "finished", "5: 2 complete, 2 pruned, 1 failed",
                "valid_accuracy 0.9300 (trial 2)", "10 of 20"), List.of(lines.get(1).split(" {2,}")));
    }

    /** Each trial's config.yaml, as its run writes it when it starts. */
    private void trialConfigs() throws IOException {
        for (int trial = 0; trial < 5; trial++) {
            Path runDir = Files.createDirectories(folder.resolve(String.format("trials/trial-%04d", trial)));
            Files.writeString(runDir.resolve("config.yaml"), "name: fashion\n");
        }
    }

    private StudyFiles files() {
        return new StudyFiles(StudyFixture.setup(folder), "fashion", StudyFixture.PRUNER,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
    }
}
