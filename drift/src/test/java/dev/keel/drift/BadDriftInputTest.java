package dev.keel.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input {@code keel drift} cannot use: exit code 2, one line on stderr that names what is wrong, no report. */
class BadDriftInputTest {
    @TempDir
    static Path dir;
    static Path run;
    static Path fresh;

    @BeforeAll
    static void trainRun() throws IOException {
        Path table = TinyTableRuns.writeTable(dir.resolve("train.csv"), 300, 11, 0, true);
        run = TinyTableRuns.train(dir.resolve("run"), table, 5);
        fresh = TinyTableRuns.writeTable(dir.resolve("fresh.csv"), 100, 12, 0, false);
    }

    @Test
    void aFolderThatIsNotARunDirectory() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("not-a-run"));
        assertRefused(drift(empty.toString(), fresh.toString()), empty + ": has no config.yaml (not a Keel run"
                + " directory): so keel drift cannot rebuild the training split");
    }

    @Test
    void aRunWhoseProvenanceRecordsNoDataset() throws IOException {
        Path copy = DriftFixtures.copyTree(run, dir.resolve("no-dataset"));
        Path provenance = copy.resolve("provenance.json");
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(provenance.toFile());
        json.remove("dataset");
        Files.writeString(provenance, json.toString());
        assertRefused(drift(copy.toString(), fresh.toString()), provenance + ": records no dataset");
    }

    @Test
    void dataChangedSinceTraining() throws IOException {
        Path copy = DriftFixtures.copyTree(run, dir.resolve("changed"));
        Path changed = Files.writeString(dir.resolve("changed-train.csv"),
                Files.readString(dir.resolve("train.csv")).replaceFirst("\n0", "\n9"));
        Path provenance = copy.resolve("provenance.json");
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(provenance.toFile());
        ((ObjectNode) json.get("dataset")).put("location", changed.toString());
        Files.writeString(provenance, json.toString());
        assertRefused(drift(copy.toString(), fresh.toString()), changed + ": the data changed since");
    }

    @Test
    void newDataWithAColumnTrainingNeverHad() throws IOException {
        Path other = Files.writeString(dir.resolve("other.csv"), "x1,x2,colour,flag,weight\n0.1,0.2,red,yes,3\n");
        assertRefused(drift(run.toString(), other.toString()), other + ": has the column weight, which the training"
                + " table did not have");
    }

    @Test
    void newDataWithoutAColumnTheModelReads() throws IOException {
        Path lacking = Files.writeString(dir.resolve("lacking.csv"), "x1,colour,label\n0.1,red,yes\n");
        assertRefused(drift(run.toString(), lacking.toString()), lacking + ": lacks the columns x2, flag, which the"
                + " model reads");
    }

    @Test
    void anEmptyCsvFile() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        assertRefused(drift(run.toString(), empty.toString()), empty + ": empty");
        Path header = Files.writeString(dir.resolve("header.csv"), "x1,x2,colour,flag\n");
        assertRefused(drift(run.toString(), header.toString()), header + ": no rows after the header");
    }

    @Test
    void aBadDriftSettingNamesTheFileTheKeyAndWhatIsAllowed() throws IOException {
        Path range = Files.writeString(dir.resolve("range.yaml"), "drift: {ks_p: 2}\n");
        assertRefused(drift(run.toString(), fresh.toString(), "--config", range.toString()), range
                + ": drift.ks_p: found 2, expected a p-value in (0, 1)");
        Path unknown = Files.writeString(dir.resolve("unknown.yaml"), "drift: {ks: 0.01}\n");
        assertRefused(drift(run.toString(), fresh.toString(), "--config", unknown.toString()), unknown
                + ": drift.ks: found 0.01, expected one of the keys share, numeric_test");
        Path none = Files.writeString(dir.resolve("none.yaml"), "seed: 3\n");
        assertRefused(drift(run.toString(), fresh.toString(), "--config", none.toString()), none
                + ": has no drift: section");
        Path choice = Files.writeString(dir.resolve("choice.yaml"), "drift: {numeric_test: anderson}\n");
        assertRefused(drift(run.toString(), fresh.toString(), "--config", choice.toString()), choice
                + ": drift.numeric_test: found \"anderson\", expected one of auto, ks, wasserstein");
    }

    private static void assertRefused(Cli.Result result, String start) {
        assertEquals(2, result.exit(), result.all());
        assertTrue(result.err().startsWith("keel: " + start), result.all());
        assertEquals(1, result.err().lines().count(), "one line, no stack trace: " + result.all());
        assertFalse(Files.exists(dir.resolve("out")), "no report for input that cannot be used");
    }

    private static Cli.Result drift(String... args) {
        String[] all = Stream.concat(Stream.of("drift"), Stream.concat(Stream.of(args),
                Stream.of("--out", dir.resolve("out").toString()))).toArray(String[]::new);
        return Cli.keel(dir.resolve("registry.db"), all);
    }
}
