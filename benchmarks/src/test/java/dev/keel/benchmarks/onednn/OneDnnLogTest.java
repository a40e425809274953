package dev.keel.benchmarks.onednn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.keel.trainer.isa.ConvShape;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Reading oneDNN's verbose log, as libtorch 2.7.1's oneDNN 3.7.1 writes it. */
class OneDnnLogTest {
    private static final String CONVOLUTION = "onednn_verbose,v1,primitive,exec,cpu,convolution,%s,%s,"
            + "src:f32:a:blocked:aBcd8b::f0 wei:f32:a:blocked:ABcd8b8a::f0 bia:undef::undef::: "
            + "dst:f32:a:blocked:aBcd8b::f0,attr-scratchpad:user,alg:convolution_direct,"
            + "mb16_ic24oc48_ih8oh8kh3sh1dh0ph1_iw8ow8kw3sw1dw0pw1,0.215088";

    @Test
    void readsVersionIsaAndKernelsPerPropagationKind() {
        OneDnnLog log = OneDnnLog.parse(Stream.of(
                "[main] INFO ai.djl.pytorch.engine.PtEngine - Number of intra-op threads is 2",
                "onednn_verbose,v1,info,oneDNN v3.7.1 (commit 8d263e693366ef8db40acc569cc7d8edf644556d)",
                "onednn_verbose,v1,info,cpu,runtime:OpenMP,nthr:2",
                "onednn_verbose,v1,info,cpu,isa:Intel AVX2",
                "onednn_verbose,v1,primitive,info,template:operation,engine,primitive,implementation,prop_kind,"
                        + "memory_descriptors,attributes,auxiliary,problem_desc,exec_time",
                "onednn_verbose,v1,primitive,exec,cpu,reorder,jit:blk,undef,src:f32::blocked:abcd::f0 "
                        + "dst:f32::blocked:aBcd8b::f0,attr-scratchpad:user,,16x24x8x8,1.74097",
                String.format(CONVOLUTION, "jit:avx2", "forward_training"),
                String.format(CONVOLUTION, "jit:avx2", "backward_data"),
                String.format(CONVOLUTION, "brgconv:avx2", "backward_data"),
                String.format(CONVOLUTION, "jit:avx2", "backward_weights")));
        ConvShape shape = new ConvShape(16, 24, 48, 8, 3, 1, 1, true, List.of("grid"));

        assertEquals("oneDNN v3.7.1 (commit 8d263e693366ef8db40acc569cc7d8edf644556d)", log.version());
        assertEquals("Intel AVX2", log.isa());
        assertEquals(Map.of("forward_training", Set.of("jit:avx2"), "backward_data", Set.of("brgconv:avx2", "jit:avx2"),
                "backward_weights", Set.of("jit:avx2")), log.kernelsOf(shape));
        assertEquals(Map.of(), log.kernelsOf(new ConvShape(16, 24, 48, 8, 3, 2, 1, true, List.of("grid"))));
    }

    @Test
    void readsAnAvx512IsaWhoseNameHoldsCommas() {
        OneDnnLog log = OneDnnLog.parse(Stream.of(
                "onednn_verbose,v1,info,oneDNN v3.7.1 (commit 8d263e693366ef8db40acc569cc7d8edf644556d)",
                "onednn_verbose,v1,info,cpu,runtime:OpenMP,nthr:2",
                "onednn_verbose,v1,info,cpu,isa:Intel AVX-512 with AVX512BW, AVX512VL, and AVX512DQ extensions",
                String.format(CONVOLUTION, "jit:avx512_core", "forward_training"),
                String.format(CONVOLUTION, "brg_conv_fwd:avx512_core", "forward_training"),
                String.format(CONVOLUTION, "jit:avx512_core", "backward_weights")));
        ConvShape shape = new ConvShape(16, 24, 48, 8, 3, 1, 1, true, List.of("grid"));

        assertEquals("Intel AVX-512 with AVX512BW, AVX512VL, and AVX512DQ extensions", log.isa());
        assertEquals(Map.of("forward_training", Set.of("brg_conv_fwd:avx512_core", "jit:avx512_core"),
                "backward_weights", Set.of("jit:avx512_core")), log.kernelsOf(shape));
    }

    @Test
    void aLogWithoutOneDnnLinesKnowsNothing() {
        OneDnnLog log = OneDnnLog.parse(Stream.of("nothing here"));

        assertNull(log.version());
        assertNull(log.isa());
        assertEquals(Map.of(), log.kernels());
    }

    @Test
    void problemsAreWrittenAsOneDnnWritesThem() {
        assertEquals("mb128_ic16oc32_ih28oh14kh3sh2dh0ph1_iw28ow14kw3sw2dw0pw1",
                new ConvShape(128, 16, 32, 28, 3, 2, 1, true, List.of()).oneDnnProblem());
        assertEquals("mb512_ic32oc64_ih14oh7kh1sh2dh0ph0_iw14ow7kw1sw2dw0pw0",
                new ConvShape(512, 32, 64, 14, 1, 2, 0, false, List.of()).oneDnnProblem());
    }
}
