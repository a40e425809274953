package dev.keel.benchmarks.onednn;

import dev.keel.trainer.isa.ConvShape;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What oneDNN's verbose log ({@code ONEDNN_VERBOSE=1} on standard output) says about a run: its
 * version, the instruction set it dispatched to (which can be less than {@code
 * ONEDNN_MAX_CPU_ISA} allows: the CPU's best), and for each convolution problem the kernels that
 * ran it, per propagation kind.
 *
 * @param version for example {@code oneDNN v3.7.1 (commit ...)}; null when the log has none
 * @param isa for example {@code Intel AVX2}; null when the log has none
 * @param kernels by problem ({@link ConvShape#oneDnnProblem()}), by propagation kind ({@code
 *     forward_training}, {@code backward_data}, {@code backward_weights}), the implementations
 *     such as {@code jit:avx2} or {@code brgconv:avx512_core}
 */
record OneDnnLog(String version, String isa, Map<String, Map<String, Set<String>>> kernels) {
    private static final String PREFIX = "onednn_verbose,";

    static OneDnnLog parse(Stream<String> lines) {
        String version = null;
        String isa = null;
        Map<String, Map<String, Set<String>>> kernels = new HashMap<>();
        for (String line : (Iterable<String>) lines::iterator) {
            if (!line.startsWith(PREFIX)) {
                continue;
            }
            List<String> fields = Arrays.asList(line.split(","));
            int info = fields.indexOf("info");
            if (info >= 0 && fields.size() == info + 2 && fields.get(info + 1).startsWith("oneDNN ")) {
                version = fields.get(info + 1);
            } else if (info >= 0 && fields.size() >= info + 3 && fields.get(info + 1).equals("cpu")
                    && fields.get(info + 2).startsWith("isa:")) {
                // AVX-512's names hold commas ("Intel AVX-512 with AVX512BW, AVX512VL, and AVX512DQ extensions")
                isa = String.join(",", fields.subList(info + 2, fields.size())).substring("isa:".length());
            }
            // ...,exec,cpu,convolution,IMPLEMENTATION,PROP_KIND,MEMORY,ATTRIBUTES,ALGORITHM,PROBLEM,MILLISECONDS
            int exec = fields.indexOf("exec");
            if (exec >= 0 && fields.size() > exec + 5 && fields.get(exec + 2).equals("convolution")) {
                kernels.computeIfAbsent(fields.get(fields.size() - 2), problem -> new TreeMap<>())
                        .computeIfAbsent(fields.get(exec + 4), kind -> new TreeSet<>())
                        .add(fields.get(exec + 3));
            }
        }
        return new OneDnnLog(version, isa, kernels);
    }

    /** The kernels that ran {@code shape}, by propagation kind; empty when oneDNN did not run it. */
    Map<String, Set<String>> kernelsOf(ConvShape shape) {
        return kernels.getOrDefault(shape.oneDnnProblem(), Map.of());
    }
}
