package dev.keel.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal of {@code keel compare}: exit code 2, one line that names the problem, no stack trace. */
class BadCompareInputTest {
    @TempDir
    static Path shared;
    static Path twoClasses;
    static Path threeClasses;
    static Path data;
    static Path db;

    @BeforeAll
    static void train() throws IOException {
        twoClasses = ComparedRuns.shuffled(shared.resolve("two"));
        threeClasses = ComparedRuns.threeClasses(shared.resolve("three"));
        data = ComparedRuns.table(shared.resolve("labelled.csv"), 50, 21, false, false);
        db = shared.resolve("registry.db");
        Cli.Result register = Cli.keel(db, "registry", "register", twoClasses.toString(), "--name", "fraud",
                "--registry", db.toString());
        assertEquals(0, register.exit(), register.all());
    }

    private static String refused(String... args) {
        Cli.Result result = Cli.keel(db, args);
        assertEquals(2, result.exit(), result.all());
        String err = result.err().strip();
        assertTrue(err.startsWith("keel: "), result.all());
        assertEquals(1, err.lines().count(), "one line: " + result.all());
        assertFalse(result.all().contains("Exception") || result.all().contains("\tat "), result.all());
        return err;
    }

    @Test
    void classesThatDifferAreRefused() {
        String err = refused("compare", twoClasses.toString(), threeClasses.toString(), "--data", data.toString());
        assertTrue(err.contains("classes differ") && err.contains("maybe"), err);
    }

    @Test
    void dataWithoutLabelsIsRefused() throws IOException {
        Path unlabelled = Files.writeString(shared.resolve("unlabelled.csv"), "x1,x2\n0.1,0.2\n0.9,0.8\n");
        String err = refused("compare", twoClasses.toString(), twoClasses.toString(), "--data",
                unlabelled.toString());
        assertTrue(err.contains("unlabelled") && err.contains("'label'"), err);
    }

    @Test
    void aFolderWithoutClassSubfoldersIsRefusedAsUnlabelled() throws IOException {
        Path flat = Files.createDirectories(shared.resolve("flat"));
        Files.write(flat.resolve("0001.png"), new byte[] {1, 2, 3});
        String err = refused("compare", twoClasses.toString(), twoClasses.toString(), "--data", flat.toString());
        assertTrue(err.contains("unlabelled: no class subfolders"), err);
    }

    @Test
    void dataInTheWrongFormatForTheModelsIsRefused() throws IOException {
        Path folder = Files.createDirectories(shared.resolve("images").resolve("yes"));
        String err = refused("compare", twoClasses.toString(), twoClasses.toString(), "--data",
                folder.getParent().toString());
        assertTrue(err.contains("a folder of images, but champion") && err.contains("takes table rows"), err);
    }

    @Test
    void aBadRowIsRefusedByItsLineWhateverTheRunsSayOfBadItems() throws IOException {
        Path bad = Files.writeString(shared.resolve("bad-row.csv"), "x1,x2,label\n0.1,0.2,no\n0.3,abc,yes\n");
        Cli.Result result = Cli.keel(db, "compare", twoClasses.toString(), twoClasses.toString(), "--data",
                bad.toString());
        assertEquals(2, result.exit(), result.all());
        assertTrue(result.err().contains("compare reads every item") && result.err().contains("bad-row.csv:3"),
                result.all());
        assertFalse(result.all().contains("Exception"), result.all());
    }

    @Test
    void promoteWithoutNameForTwoRunDirectoriesIsRefused() {
        String err = refused("compare", twoClasses.toString(), twoClasses.toString(), "--data", data.toString(),
                "--promote");
        assertTrue(err.contains("--promote: give --name NAME"), err);
    }

    @Test
    void anUnknownRegistryReferenceIsRefused() {
        String err = refused("compare", "nope@production", twoClasses.toString(), "--data", data.toString());
        assertTrue(err.contains("no model named \"nope\""), err);
        String stage = refused("compare", "fraud@production", twoClasses.toString(), "--data", data.toString());
        assertTrue(stage.contains("no version of fraud is in production"), stage);
    }
}
