package dev.keel.benchmarks.onednn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The sweep end to end: one child JVM, two convolutions. */
class ConvolutionIsaSweepTest {
    @Test
    void smallSweepRunsAChildJvmAndReportsItsKernels(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("sweep.json");
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        int status;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            status = new CommandLine(new ConvolutionIsaSweep()).execute("--isas", "AVX2", "--grid-only",
                    "--in-channels", "3", "--out-channels", "5", "--kernels", "3x3/1,1x1/2", "--layout", "nchw",
                    "--out", json.toString(),
                    "--work-dir", dir.resolve("work").toString());
        } finally {
            System.setOut(stdout);
        }

        assertEquals(0, status, printed.toString(StandardCharsets.UTF_8));
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        JsonNode isa = root.get("isas").get(0);
        assertEquals("AVX2", isa.get("requested").asText());
        assertFalse(isa.get("onednn_isa").isNull(), "oneDNN's verbose log names the ISA it ran");
        assertEquals(2, isa.get("on_onednn").asInt(), "both convolutions ran on oneDNN");
        JsonNode convolution = root.get("convolutions").get(0);
        assertEquals("3x3/1 3->5 8x8 b16 train", convolution.get("label").asText());
        assertTrue(convolution.get("isas").get("AVX2").get("vs_float64").get("grad_weight").asDouble() < 1e-4);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("No convolution failed"));
    }

    @Test
    void aBaselineOutsideTheIsasIsAUsageError() {
        CommandLine command = new CommandLine(new ConvolutionIsaSweep());
        command.setErr(new PrintWriter(Writer.nullWriter()));

        assertEquals(2, command.execute("--isas", "ALL", "--baseline", "AVX2"));
        assertEquals(2, command.execute("--in-channels", "0"));
        assertEquals(2, command.execute("--kernels", "5x5/1"));
        assertEquals(2, command.execute("--layout", "nhwc"));
    }
}
