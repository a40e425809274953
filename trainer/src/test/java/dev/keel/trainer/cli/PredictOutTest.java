package dev.keel.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.keel.trainer.FileSnapshot;
import dev.keel.trainer.KeelRun;
import dev.keel.trainer.TinyRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict --out}: the file is written whole through a temporary file and renamed, so it is
 * never the input half-read or a run's own file; a refused or stopped command leaves whatever the
 * path held as it was, and no temporary file behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictOutTest {
    @TempDir
    static Path temp;

    private Path run;
    private Path rows;

    @BeforeAll
    void trainTinyRun() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        run = TinyRuns.table(temp.resolve("run"), data);
        rows = Files.writeString(data.resolve("rows.csv"), "x1,x2\n0.9,0.8\n0.1,0.2\n");
    }

    @Test
    void outEqualToTheInputLeavesTheInputIntact() throws IOException {
        byte[] before = Files.readAllBytes(rows);

        KeelRun refused = KeelRun.of("predict", run.toString(), rows.toString(), "--out", rows.toString());

        assertEquals(KeelCli.EXIT_USAGE, refused.exit(), refused.output());
        assertEquals("keel: --out " + rows + ": is the input " + rows + "; writing it would destroy the input",
                refused.err().strip());
        assertArrayEquals(before, Files.readAllBytes(rows));
        assertEquals(List.of(), hiddenFiles(rows.getParent()));
    }

    @Test
    void outInsideTheRunDirectoryIsRefusedAndTheRunIsUntouched() throws IOException {
        FileSnapshot before = FileSnapshot.of(run);
        for (String inside : List.of("predictions.csv", "model/keel-model.json", "summary.json", "interpret/p.csv")) {
            KeelRun refused = KeelRun.of("predict", run.toString(), rows.toString(), "--out",
                    run.resolve(inside).toString());
            assertEquals(KeelCli.EXIT_USAGE, refused.exit(), refused.output());
            assertTrue(refused.err().startsWith("keel: --out " + run.resolve(inside) + ": is inside the run directory"),
                    refused.output());
        }
        assertEquals(List.of(), FileSnapshot.of(run).changesSince(before));
    }

    @Test
    void outIsWrittenWholeOverAnOldFileAndNoTemporaryFileStays() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("written"));
        Path out = Files.writeString(folder.resolve("predictions.csv"), "an older file\n");

        KeelRun predicted = KeelRun.of("predict", run.toString(), rows.toString(), "--out", out.toString());

        assertEquals(0, predicted.exit(), predicted.output());
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("input,predicted,confidence,review,p_"), lines.get(0));
        assertTrue(predicted.err().contains("; wrote " + out), predicted.output());
        assertEquals(List.of(), hiddenFiles(folder));
    }

    @Test
    void aCommandStoppedByABadInputLeavesTheOldOutAsItWas() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("stopped"));
        Path out = Files.writeString(folder.resolve("predictions.csv"), "an older file\n");

        KeelRun stopped = KeelRun.of("predict", run.toString(), rows.toString(),
                folder.resolve("missing.csv").toString(), "--out", out.toString());

        assertEquals(KeelCli.EXIT_USAGE, stopped.exit(), stopped.output());
        assertTrue(stopped.err().contains(out + " not written"), stopped.output());
        assertEquals("an older file\n", Files.readString(out));
        assertEquals(List.of(), hiddenFiles(folder));
    }

    @Test
    void keepGoingWritesWhatCouldBeRead() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("kept"));
        Path out = folder.resolve("predictions.csv");

        KeelRun kept = KeelRun.of("predict", run.toString(), folder.resolve("missing.csv").toString(),
                rows.toString(), "--keep-going", "--out", out.toString());

        assertEquals(KeelCli.EXIT_USAGE, kept.exit(), kept.output());
        assertEquals(3, Files.readAllLines(out).size());
        assertEquals(List.of(), hiddenFiles(folder));
    }

    @Test
    void aReadOnlyFolderIsRefusedBeforeAnythingIsRead() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("read-only"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(folder), "a superuser writes anywhere");
            KeelRun refused = KeelRun.of("predict", run.toString(), rows.toString(), "--out",
                    folder.resolve("p.csv").toString());
            assertEquals(KeelCli.EXIT_USAGE, refused.exit(), refused.output());
            assertEquals("keel: --out " + folder.resolve("p.csv") + ": cannot write in " + folder
                    + " (permission denied)", refused.err().strip());
            assertEquals("", refused.out());
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static List<Path> hiddenFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
