package dev.keel.benchmarks.onednn;

import dev.keel.trainer.isa.ConvOutput;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One ISA's results over all convolutions: how many failed in each way, the worst finite error
 * against float64 per output, and how often each oneDNN kernel ran, per propagation kind.
 */
record IsaSummary(String isa, int convolutions, int onOneDnn, int nonFinite, int wrong, int differ, int unstable,
        Map<ConvOutput, Double> worstVsFloat64, Map<String, Map<String, Integer>> kernelCounts) {

    /** The summary of the {@code index}-th ISA's outcomes. */
    static IsaSummary of(List<ShapeResult> results, int index, double tolerance) {
        String isa = null;
        int onOneDnn = 0;
        int nonFinite = 0;
        int wrong = 0;
        int differ = 0;
        int unstable = 0;
        Map<ConvOutput, Double> worst = new EnumMap<>(ConvOutput.class);
        Map<String, Map<String, Integer>> kernels = new TreeMap<>();
        for (ShapeResult result : results) {
            IsaOutcome outcome = result.outcomes().get(index);
            isa = outcome.isa();
            onOneDnn += outcome.ranOnOneDnn() ? 1 : 0;
            nonFinite += outcome.nonFinite() ? 1 : 0;
            wrong += outcome.wrong(tolerance) ? 1 : 0;
            differ += outcome.differsFromBaseline(tolerance) ? 1 : 0;
            unstable += outcome.unstable(tolerance) ? 1 : 0;
            outcome.vsFloat64().forEach((output, discrepancy) -> {
                if (discrepancy.nonFinite() == 0) {
                    worst.merge(output, discrepancy.relative(), Math::max);
                }
            });
            for (Map.Entry<String, Set<String>> kind : outcome.kernels().entrySet()) {
                for (String kernel : kind.getValue()) {
                    kernels.computeIfAbsent(kind.getKey(), k -> new TreeMap<>()).merge(kernel, 1, Integer::sum);
                }
            }
        }
        return new IsaSummary(isa, results.size(), onOneDnn, nonFinite, wrong, differ, unstable, worst, kernels);
    }
}
