package dev.keel.benchmarks.onednn;

import dev.keel.trainer.isa.ConvOutput;
import dev.keel.trainer.isa.Discrepancy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One convolution under one {@code ONEDNN_MAX_CPU_ISA}: each output against the float64 reference
 * and against the baseline ISA's (empty for the baseline itself), how far its repeats drifted, and
 * the oneDNN kernels that ran it.
 */
record IsaOutcome(String isa, Map<ConvOutput, Discrepancy> vsFloat64, Map<ConvOutput, Discrepancy> vsBaseline,
        Discrepancy repeatDrift, Map<String, Set<String>> kernels) {

    Discrepancy worstVsFloat64() {
        return vsFloat64.values().stream().reduce(Discrepancy.NONE, Discrepancy::worst);
    }

    Discrepancy worstVsBaseline() {
        return vsBaseline.values().stream().reduce(Discrepancy.NONE, Discrepancy::worst);
    }

    /** Whether oneDNN's log shows it ran this convolution (libtorch has other kernels of its own). */
    boolean ranOnOneDnn() {
        return !kernels.isEmpty();
    }

    boolean nonFinite() {
        return worstVsFloat64().nonFinite() > 0 || repeatDrift.nonFinite() > 0;
    }

    boolean wrong(double tolerance) {
        return !worstVsFloat64().within(tolerance);
    }

    boolean differsFromBaseline(double tolerance) {
        return !worstVsBaseline().within(tolerance);
    }

    boolean unstable(double tolerance) {
        return !repeatDrift.within(tolerance);
    }

    boolean fails(double tolerance) {
        return wrong(tolerance) || differsFromBaseline(tolerance) || unstable(tolerance);
    }

    /** What is wrong, in words: for example {@code NaN/Inf in grad weight (12)}, {@code forward off by 3.1e-02}. */
    List<String> problems(double tolerance, String baseline) {
        List<String> problems = new ArrayList<>();
        vsFloat64.forEach((output, discrepancy) -> {
            if (discrepancy.nonFinite() > 0) {
                problems.add("NaN/Inf in " + output.label() + " (" + discrepancy.nonFinite() + ")");
            } else if (!discrepancy.within(tolerance)) {
                problems.add(output.label() + " off by " + format(discrepancy.relative()));
            }
        });
        Discrepancy fromBaseline = worstVsBaseline();
        if (fromBaseline.nonFinite() == 0 && worstVsFloat64().nonFinite() == 0 && !fromBaseline.within(tolerance)) {
            problems.add("differs from " + baseline + " by " + format(fromBaseline.relative()));
        }
        if (repeatDrift.nonFinite() > 0) {
            problems.add("NaN/Inf on a repeat (" + repeatDrift.nonFinite() + ")");
        } else if (!repeatDrift.within(tolerance)) {
            problems.add("repeats differ by " + format(repeatDrift.relative()));
        }
        return problems;
    }

    static String format(double relative) {
        return Double.isInfinite(relative) ? "inf" : String.format(Locale.ROOT, "%.1e", relative);
    }
}
