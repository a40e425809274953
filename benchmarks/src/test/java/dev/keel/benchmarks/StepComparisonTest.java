package dev.keel.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The paired comparison: a short run end to end, and its statistics. */
class StepComparisonTest {
    @Test
    void shortRunTimesAllThreeSidesAndReportsTheMedianRatios(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("paired.json");

        int status = new CommandLine(new StepComparison()).execute("--models", "mlp", "--batch-sizes", "32",
                "--rounds", "3", "--warmup-seconds", "0.2", "--round-seconds", "0.05", "--json", json.toString());

        assertEquals(0, status);
        JsonNode result = new ObjectMapper().readTree(json.toFile()).get("results").get(0);
        double[] keel = doubles(result.get("keelRoundMs"));
        double[] djl = doubles(result.get("djlRoundMs"));
        double[] fixed = doubles(result.get("djlFixedBatchRoundMs"));
        assertEquals(3, keel.length);
        for (int round = 0; round < 3; round++) {
            assertTrue(keel[round] > 0 && djl[round] > 0 && fixed[round] > 0, "every side timed in every round");
        }
        assertEquals(StepComparison.median(new double[] {keel[0] / djl[0], keel[1] / djl[1], keel[2] / djl[2]}),
                result.get("ratio").asDouble(), 1e-12);
        assertEquals(StepComparison.median(new double[] {keel[0] / fixed[0], keel[1] / fixed[1], keel[2] / fixed[2]}),
                result.get("fixedBatchRatio").asDouble(), 1e-12);
        assertTrue(result.get("stepsPerRound").asInt() >= 2, "Keel's rounds are whole epochs of at least 2 steps");
    }

    @Test
    void unknownModelOrDeviceIsAUsageError() {
        CommandLine command = new CommandLine(new StepComparison());
        command.setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()));

        assertEquals(2, command.execute("--models", "vgg"));
        assertEquals(2, command.execute("--device", "tpu"));
        assertEquals(2, command.execute("--batch-sizes", "0"));
    }

    private static double[] doubles(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).mapToDouble(JsonNode::asDouble).toArray();
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, StepComparison.median(new double[] {3, 1, 2}), 0);
        assertEquals(2.5, StepComparison.median(new double[] {4, 1, 3, 2}), 0);
    }

    @Test
    void intervalForTwentyRoundsIsTheSixthToFifteenthValue() {
        // The textbook interval for n = 20: order statistics 6 and 15, covering 95.9%.
        double[] values = IntStream.rangeClosed(1, 20).mapToDouble(i -> 21 - i).toArray();

        assertArrayEquals(new double[] {6, 15}, StepComparison.medianInterval(values), 0);
    }

    @Test
    void intervalForTenRoundsIsTheSecondToNinthValue() {
        // n = 10: P(B <= 1) = 11/1024 <= 2.5% < P(B <= 2) = 56/1024.
        double[] values = IntStream.rangeClosed(1, 10).mapToDouble(i -> i * 0.1).toArray();

        assertArrayEquals(new double[] {0.2, 0.9}, StepComparison.medianInterval(values), 1e-12);
    }

    @Test
    void tooFewRoundsGiveTheFullRange() {
        assertArrayEquals(new double[] {1, 5}, StepComparison.medianInterval(new double[] {5, 4, 3, 2, 1}), 0);
        assertArrayEquals(new double[] {1, 6}, StepComparison.medianInterval(new double[] {6, 5, 4, 3, 2, 1}), 0);
    }
}
