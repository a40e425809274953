package dev.keel.trainer.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keel.trainer.track.WriteFailedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart plumbing every Keel chart shares. */
class ChartsTest {

    @Test
    void linearAxisLabelsKeepTheirLeadingZero() {
        assertEquals("0.05", Charts.plain(0.05));
        assertEquals("0.00001", Charts.plain(1e-5));
        assertEquals("0", Charts.plain(0));
        assertEquals("2.5", Charts.plain(2.5));
        assertEquals("100", Charts.plain(100));
        assertEquals("0.3", Charts.plain(0.30000000000000004));
    }

    @Test
    void aChartRendersHeadlessAtItsSize() {
        Charts.xy("title", "x", "y");
        assertEquals("true", System.getProperty("java.awt.headless"));
        assertEquals(Charts.WIDTH, Charts.image(Charts.xy("empty", "x", "y")).getWidth());
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFile(@TempDir Path dir) {
        Path missingFolder = dir.resolve("absent/chart.png");
        assertThrows(WriteFailedException.class, () -> Charts.write(new byte[] {1, 2, 3}, missingFolder));
        Path file = dir.resolve("chart.png");
        Charts.write(Charts.png(Charts.xy("t", "x", "y")), file);
        assertTrue(Files.isRegularFile(file));
        assertEquals(1, dir.toFile().list().length, "only the chart itself");
    }

    @Test
    void aFullDiskIsReportedAsEveryRunFileReportsIt(@TempDir Path dir) throws Exception {
        Path devFull = Path.of("/dev/full");
        assumeTrue(Files.exists(devFull), "Linux's /dev/full answers every write with ENOSPC");
        Path file = dir.resolve("chart.png");
        // The temporary file the chart is written to first is /dev/full: the write hits a full disk.
        Path temp = Files.createSymbolicLink(dir.resolve(".chart.png.tmp"), devFull);

        WriteFailedException e = assertThrows(WriteFailedException.class,
                () -> Charts.write(Charts.png(Charts.xy("t", "x", "y")), file));

        assertTrue(e.diskFull());
        assertEquals("cannot write " + file + ": the disk is full (No space left on device)", e.getMessage());
        assertFalse(Files.exists(temp, LinkOption.NOFOLLOW_LINKS), "the temporary file is gone");
        assertFalse(Files.exists(file));
    }
}
