package dev.keel.benchmarks.onednn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.trainer.isa.CpuInfo;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The report's compact forms, and reading the CPU. */
class SweepReportTest {
    @Test
    void channelCountsAreWrittenAsRanges() {
        assertEquals("1-15,17,19-31,48", SweepReport.ranges(new TreeSet<>(List.of(
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
                48))));
        assertEquals("", SweepReport.ranges(new TreeSet<>()));
    }

    @Test
    void resnetDepthsAreFolded() {
        assertEquals("quickstart.yaml, resnet-20/56/110, resnet-20 rgb", SweepReport.describeUses(
                List.of("quickstart.yaml", "resnet-110", "resnet-20", "resnet-20 rgb", "resnet-56")));
    }

    @Test
    void cpuinfoGivesModelCountAndVectorFlags() {
        String cpuinfo = """
                processor\t: 0
                model name\t: AMD EPYC 9654 96-Core Processor
                flags\t\t: fpu sse2 avx avx2 avx512f avx512dq avx512bw avx512vl avx512_bf16

                processor\t: 1
                model name\t: AMD EPYC 9654 96-Core Processor
                flags\t\t: fpu sse2 avx avx2 avx512f avx512dq avx512bw avx512vl avx512_bf16
                """;

        CpuInfo cpu = CpuInfo.parse(cpuinfo);

        assertEquals("AMD EPYC 9654 96-Core Processor", cpu.model());
        assertEquals(2, cpu.logicalCpus());
        assertEquals(List.of("avx2", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_bf16"), cpu.vectorFlags());
        assertTrue(cpu.hasAvx512());
        assertFalse(CpuInfo.parse("flags\t: avx avx2\n").hasAvx512());
    }
}
