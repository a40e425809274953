package dev.keel.trainer.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-CPU check: its child JVM, its cache file, and what it does when the child cannot run. */
class CpuCheckTest {
    private static final MachineKey KEY = MachineKey.of("model name\t: Test CPU\nflags\t\t: sse avx2 fma\n", "2.7.1");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T20:00:00Z"), ZoneOffset.UTC);
    private static final ConvShape FIRST = CpuCheck.shapeOf(1, 24, 3, 1);
    private static final ConvShape SECOND = CpuCheck.shapeOf(24, 48, 3, 2);

    @TempDir
    Path folder;

    /** A child that records the shapes it is given and hands them to {@code inner}. */
    private static final class Recording implements CpuCheck.Child {
        final List<List<ConvShape>> runs = new ArrayList<>();
        final CpuCheck.Child inner;

        Recording(CpuCheck.Child inner) {
            this.inner = inner;
        }

        @Override
        public List<CheckedShape> run(List<ConvShape> shapes) throws IOException {
            runs.add(shapes);
            return inner.run(shapes);
        }
    }

    private static List<CheckedShape> exact(List<ConvShape> shapes) {
        return shapes.stream().map(shape -> new CheckedShape(shape.label(), 1e-7, 2e-7, 3e-7, 0)).toList();
    }

    @Test
    void theFirstCallRunsTheChildJvmAndTheSecondReadsTheCache() throws IOException {
        Recording child = new Recording(JvmChild.ofThisJvm());
        CpuCheck check = new CpuCheck(folder, KEY, child, CLOCK);

        CpuCheck.Result first = check.run(List.of(FIRST, SECOND));

        // This build's CPUs run oneDNN's AVX2 kernels under ALL, and they match float64.
        assertFalse(first.cached());
        assertEquals(List.of(FIRST.label(), SECOND.label()), first.shapes().stream().map(CheckedShape::shape).toList());
        assertTrue(first.firstFailing().isEmpty(), () -> "failed on this CPU: " + first.shapes());
        assertTrue(first.shapes().stream().allMatch(shape -> shape.worst() < CpuCheck.TOLERANCE && shape.worst() > 0));
        assertTrue(Files.isRegularFile(check.file()));

        CpuCheck.Result second = new CpuCheck(folder, KEY, child, CLOCK).run(List.of(SECOND, FIRST));

        assertEquals(1, child.runs.size());
        assertTrue(second.cached());
        assertEquals(List.of(first.shapes().get(1), first.shapes().get(0)), second.shapes());
        assertEquals("2026-12-06T20:00:00Z", second.checkedAt());
    }

    @Test
    void aModelWithNewShapesChecksOnlyThoseAndTheCacheGainsThem() throws IOException {
        Recording child = new Recording(CpuCheckTest::exact);
        CpuCheck check = new CpuCheck(folder, KEY, child, CLOCK);
        ConvShape third = CpuCheck.shapeOf(48, 64, 1, 1);

        check.run(List.of(FIRST, SECOND));
        CpuCheck.Result later = check.run(List.of(FIRST, third, third));

        assertEquals(List.of(List.of(FIRST, SECOND), List.of(third)), child.runs);
        assertFalse(later.cached());
        assertEquals(3, later.shapes().size());
        assertTrue(check.cached(List.of(FIRST, SECOND, third)).isPresent());
    }

    @Test
    void onlyACachedVerdictCountsWithoutRunning() throws IOException {
        Recording child = new Recording(CpuCheckTest::exact);
        CpuCheck check = new CpuCheck(folder, KEY, child, CLOCK);

        assertTrue(check.cached(List.of(FIRST)).isEmpty());
        check.run(List.of(FIRST));

        assertTrue(check.cached(List.of(FIRST)).orElseThrow().cached());
        assertTrue(check.cached(List.of(FIRST, SECOND)).isEmpty());
        assertTrue(new CpuCheck(folder, MachineKey.of("model name\t: Other CPU\n", "2.7.1"), child, CLOCK)
                .cached(List.of(FIRST)).isEmpty(), "a verdict holds for its own machine only");
    }

    @Test
    void aCorruptCacheFileIsIgnoredAndRewritten() throws IOException {
        Recording child = new Recording(CpuCheckTest::exact);
        CpuCheck check = new CpuCheck(folder, KEY, child, CLOCK);
        Files.writeString(check.file(), "{\"key\": {\"cpu_model\": ");

        CpuCheck.Result result = check.run(List.of(FIRST));

        assertEquals(1, child.runs.size());
        assertFalse(result.cached());
        CheckRecord rewritten = new ObjectMapper().readValue(check.file().toFile(), CheckRecord.class);
        assertEquals(KEY, rewritten.key());
        assertEquals(exact(List.of(FIRST)), rewritten.shapes());
    }

    @Test
    void aChildThatCannotStartFailsTheCheckAndWritesNothing() {
        CpuCheck check = new CpuCheck(folder, KEY, new JvmChild(folder.resolve("no-java").toString(), "."), CLOCK);

        IOException e = assertThrows(IOException.class, () -> check.run(List.of(FIRST)));

        assertTrue(e.getMessage().contains("no-java"), e.getMessage());
        assertFalse(Files.exists(check.file()));
    }

    @Test
    void aChildThatFailsSaysHowInOneLine() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        CpuCheck check = new CpuCheck(folder, KEY, new JvmChild(java, "/nonexistent"), CLOCK);

        IOException e = assertThrows(IOException.class, () -> check.run(List.of(FIRST)));

        assertTrue(e.getMessage().startsWith("the check's JVM exited with 1: "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
