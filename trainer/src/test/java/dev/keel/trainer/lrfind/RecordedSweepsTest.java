package dev.keel.trainer.lrfind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rate {@code lr: auto} chooses, pinned on sweeps recorded by {@code keel lr-find} (2-vCPU AMD
 * EPYC, AVX2 only): the quickstart with seeds 1-5, the breast-cancer table and the fine-tuning
 * parity run with seeds 1-3. A change to the rule or its constant shows here first.
 */
class RecordedSweepsTest {
    /** bottom/10 of each recorded sweep, as the rule gives it today. */
    private static final Map<String, Double> BOTTOM_DIV_10 = Map.ofEntries(
            Map.entry("quickstart-seed-1", 0.013848863713938734),
            Map.entry("quickstart-seed-2", 0.01261856883066021),
            Map.entry("quickstart-seed-3", 0.007924828983539177),
            Map.entry("quickstart-seed-4", 0.006579332246575682),
            Map.entry("quickstart-seed-5", 0.008697490026177833),
            Map.entry("breast-cancer-seed-1", 0.022051307399030457),
            Map.entry("breast-cancer-seed-2", 0.022051307399030457),
            Map.entry("breast-cancer-seed-3", 0.01830738280295368),
            Map.entry("transfer-parity-seed-1", 0.04229242874389499),
            Map.entry("transfer-parity-seed-2", 0.035111917342151314),
            Map.entry("transfer-parity-seed-3", 0.035111917342151314));

    @Test
    void bottomDiv10IsPinnedOnEveryRecordedSweep() throws IOException {
        for (Map.Entry<String, Double> sweep : BOTTOM_DIV_10.entrySet()) {
            assertEquals(sweep.getValue(), suggestions(sweep.getKey()).bottomDiv10(), 1e-15, sweep.getKey());
        }
    }

    @Test
    void onTheQuickstartEverySeedLandsWhereTheNetTrainsTo92PercentAndMinimumDiv10DoesNot() throws IOException {
        double[] bottom = new double[5];
        double[] minimum = new double[5];
        for (int seed = 1; seed <= 5; seed++) {
            LrSuggestions s = suggestions("quickstart-seed-" + seed);
            bottom[seed - 1] = s.bottomDiv10();
            minimum[seed - 1] = s.minimumDiv10();
            assertTrue(s.bottomDiv10() >= 0.003 && s.bottomDiv10() <= 0.016, "seed " + seed + ": " + s.bottomDiv10());
        }
        assertTrue(spread(bottom) < 2.2, "bottom/10 across seeds: " + Arrays.toString(bottom));
        assertTrue(spread(minimum) > 4, "minimum/10, the old choice, across seeds: " + Arrays.toString(minimum));
    }

    @Test
    void theBottomHoldsTheLowestLossAndOnlyLossesNearIt() throws IOException {
        for (String name : BOTTOM_DIV_10.keySet()) {
            double[][] sweep = read(name);
            LrSuggestions s = LrSuggestions.of(sweep[0], sweep[1], 100);
            assertTrue(s.bottomFrom() <= s.minimumIndex() && s.minimumIndex() <= s.bottomTo(), name);
            double lowest = sweep[1][s.minimumIndex()];
            double limit = lowest + LrSuggestions.BOTTOM_SHARE * (sweep[1][10] - lowest);
            for (int i = s.bottomFrom(); i <= s.bottomTo(); i++) {
                assertTrue(sweep[1][i] <= limit, name + " step " + i);
            }
            assertTrue(sweep[1][s.bottomFrom() - 1] > limit, name + ": the bottom starts where the loss comes near");
        }
    }

    private static double spread(double[] values) {
        return Arrays.stream(values).max().orElseThrow() / Arrays.stream(values).min().orElseThrow();
    }

    private static LrSuggestions suggestions(String name) throws IOException {
        double[][] sweep = read(name);
        return LrSuggestions.of(sweep[0], sweep[1], 100);
    }

    /** The rates and smoothed losses of {@code sweeps/NAME.csv}, as lr_find.csv holds them. */
    private static double[][] read(String name) throws IOException {
        try (InputStream in = RecordedSweepsTest.class.getResourceAsStream("sweeps/" + name + ".csv")) {
            List<String> rows = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
            double[] lrs = new double[rows.size()];
            double[] smoothed = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                String[] fields = rows.get(i).split(",");
                lrs[i] = Double.parseDouble(fields[1]);
                smoothed[i] = Double.parseDouble(fields[3]);
            }
            return new double[][] {lrs, smoothed};
        }
    }
}
