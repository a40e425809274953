package dev.keel.benchmarks.onednn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.isa.ConvShape;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code keel} sets the cap, seen in oneDNN's own log: {@code ONEDNN_MAX_CPU_ISA} set in a
 * JVM's own process (through Keel's {@code OneDnnIsa}) before its first convolution, with none in
 * its environment, is the cap oneDNN runs under. SSE4.1 lies below the best instruction set of any
 * CPU libtorch runs on, so the cap shows on every machine.
 */
class CapSetInTheProcessTest {
    @Test
    void oneDnnRunsUnderTheCapTheProcessSetItself(@TempDir Path dir) throws Exception {
        List<ConvShape> shapes = List.of(new ConvShape(16, 24, 48, 8, 3, 1, 1, true, List.of("grid")));
        Path shapesFile = dir.resolve("shapes.json");
        new ObjectMapper().writeValue(shapesFile.toFile(), shapes);

        IsaChild child = IsaChild.run("SSE41", IsaChild.CapSetting.IN_PROCESS, shapesFile, dir, 1, 42, false);

        assertEquals("Intel SSE4.1", child.log().isa());
        IsaOutcome outcome = SweepComparison.compare(shapes, List.of(child), "SSE41", 42).get(0).outcomes().get(0);
        assertTrue(outcome.ranOnOneDnn(), "oneDNN ran the convolution");
        for (Set<String> kernels : outcome.kernels().values()) {
            assertFalse(kernels.stream().anyMatch(kernel -> kernel.contains("avx")), "kernels " + kernels);
        }
        assertEquals(List.of(), outcome.problems(1e-4, "SSE41"), "SSE4.1's numbers match float64");
    }
}
