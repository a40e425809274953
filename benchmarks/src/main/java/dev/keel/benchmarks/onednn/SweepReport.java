package dev.keel.benchmarks.onednn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.trainer.isa.ConvOutput;
import dev.keel.trainer.isa.ConvShape;
import dev.keel.trainer.isa.CpuInfo;
import dev.keel.trainer.isa.Discrepancy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The sweep's report: a Markdown summary (the machine, a line per ISA, the kernels oneDNN ran, the
 * failing convolutions and, for the grid, the channel counts that fail) and every result as JSON.
 */
final class SweepReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** oneDNN's propagation kinds in the order a training step runs them, with short names for the table. */
    private static final Map<String, String> PROPAGATION_KINDS = new LinkedHashMap<>();

    static {
        PROPAGATION_KINDS.put("forward_inference", "fwd-inference");
        PROPAGATION_KINDS.put("forward_training", "fwd");
        PROPAGATION_KINDS.put("backward_data", "bwd-data");
        PROPAGATION_KINDS.put("backward_weights", "bwd-weights");
    }

    private final SweepSettings settings;
    private final CpuInfo cpu;
    private final List<KeelConvolutions.Skipped> skipped;
    private final List<IsaChild> children;
    private final Map<String, String> failures;
    private final List<ShapeResult> results;
    private final List<IsaSummary> summaries = new ArrayList<>();

    SweepReport(SweepSettings settings, CpuInfo cpu, List<KeelConvolutions.Skipped> skipped, List<IsaChild> children,
            Map<String, String> failures, List<ShapeResult> results) {
        this.settings = settings;
        this.cpu = cpu;
        this.skipped = skipped;
        this.children = children;
        this.failures = failures;
        this.results = results;
        for (int c = 0; c < children.size(); c++) {
            summaries.add(IsaSummary.of(results, c, settings.tolerance()));
        }
    }

    /** The number of convolutions that failed under at least one ISA. */
    int failingCount() {
        return (int) results.stream()
                .filter(result -> result.outcomes().stream().anyMatch(outcome -> outcome.fails(settings.tolerance())))
                .count();
    }

    void print(PrintStream out, int maxRows) {
        out.println("# oneDNN convolution sweep (" + LocalDate.now() + ")");
        out.println();
        out.println("- CPU: " + cpu.model() + ", " + cpu.logicalCpus() + " logical CPUs; vector extensions: "
                + String.join(" ", cpu.vectorFlags()) + (cpu.hasAvx512() ? "" : " (no AVX-512)"));
        if (!children.isEmpty()) {
            ChildSummary first = children.get(0).summary();
            OneDnnLog log = children.get(0).log();
            out.println("- libtorch " + first.libtorchVersion() + " through DJL " + first.djlVersion() + ", "
                    + (log.version() == null ? "oneDNN version unknown" : log.version()) + ", "
                    + first.intraOpThreads() + " intra-op threads");
        }
        long grid = results.stream().filter(result -> result.shape().uses().contains("grid")).count();
        out.printf(Locale.ROOT, "- %d convolutions, each run %d time(s) per ISA: %d from the grid (in channels %s x out"
                + " channels %s; %s; %dx%d images, batch %d; training)%s%n", results.size(), settings.repeats(), grid,
                settings.inChannels(), settings.outChannels(), settings.kinds().stream().map(kind -> kind.label)
                        .collect(Collectors.joining(", ")), settings.size(), settings.size(), settings.batch(),
                settings.keelNetworks() ? String.format(Locale.ROOT, ", %d from Keel's networks (%s; each config's"
                        + " training batch and evaluation batch)", results.size() - grid, keelUses()) : "");
        if (!skipped.isEmpty()) {
            out.println("- Configs left out: " + skipped.stream().map(s -> s.config() + " (" + s.reason() + ")")
                    .collect(Collectors.joining(", ")));
        }
        out.printf(Locale.ROOT, "- Checked: the output and, in training, the gradients with respect to input and weight,"
                + " against a float64 reference (plain Java, direct summation) and against %s; tolerance %s of each"
                + " output's largest magnitude; inputs stored %s%n", settings.baseline(),
                IsaOutcome.format(settings.tolerance()), settings.layout());
        out.println();
        printSummary(out);
        printKernels(out);
        printFailing(out, maxRows);
        printChannelRule(out);
    }

    private void printSummary(PrintStream out) {
        out.println("| ONEDNN_MAX_CPU_ISA | oneDNN ran | convolutions | on oneDNN | NaN/Inf | off float64 | differ from "
                + settings.baseline() + " | repeats differ | worst vs float64 (out / grad in / grad w) | run s |");
        out.println("|---|---|---:|---:|---:|---:|---:|---:|---|---:|");
        for (int c = 0; c < children.size(); c++) {
            IsaSummary s = summaries.get(c);
            out.printf(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %s | %d | %s | %.0f |%n", s.isa(),
                    dispatched(children.get(c)), s.convolutions(), s.onOneDnn(), s.nonFinite(), s.wrong(),
                    s.isa().equals(settings.baseline()) || !baselineRan() ? "-" : Integer.toString(s.differ()),
                    s.unstable(), worst(s), children.get(c).summary().seconds());
        }
        failures.forEach((isa, message) -> out.println("| " + isa + " | failed: " + message + " | | | | | | | | |"));
        out.println();
        for (IsaChild child : children) {
            String note = coverageNote(child);
            if (note != null) {
                out.println("- " + child.isa() + ": " + note);
            }
        }
        out.println();
    }

    private void printKernels(PrintStream out) {
        out.println("oneDNN kernels that ran the convolutions (how many convolutions each ran):");
        out.println();
        out.println("| ONEDNN_MAX_CPU_ISA | propagation | kernels |");
        out.println("|---|---|---|");
        for (IsaSummary s : summaries) {
            List<String> kinds = new ArrayList<>(PROPAGATION_KINDS.keySet());
            s.kernelCounts().keySet().stream().filter(kind -> !kinds.contains(kind)).forEach(kinds::add);
            for (String kind : kinds) {
                Map<String, Integer> counts = s.kernelCounts().get(kind);
                if (counts != null) {
                    out.println("| " + s.isa() + " | " + kind + " | " + counts.entrySet().stream()
                            .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", ")) + " |");
                }
            }
        }
        out.println();
    }

    private void printFailing(PrintStream out, int maxRows) {
        if (children.isEmpty()) {
            out.println("No ISA ran.");
            return;
        }
        List<String> rows = new ArrayList<>();
        for (ShapeResult result : results) {
            for (IsaOutcome outcome : result.outcomes()) {
                if (outcome.fails(settings.tolerance())) {
                    rows.add("| " + result.shape().label() + " | " + describeUses(result.shape().uses()) + " | "
                            + outcome.isa() + " | " + kernels(outcome.kernels()) + " | "
                            + String.join("; ", outcome.problems(settings.tolerance(), settings.baseline())) + " |");
                }
            }
        }
        if (rows.isEmpty()) {
            out.printf(Locale.ROOT, "No convolution failed: under every ISA that ran, every output is within %s of "
                    + "float64, without NaN or Inf, %sthe same on repeats.%n", IsaOutcome.format(settings.tolerance()),
                    baselineRan() ? "the same as " + settings.baseline() + "'s and " : "");
            return;
        }
        out.println("Failing convolutions (" + failingCount() + "; " + rows.size() + " convolution-ISA pairs):");
        out.println();
        out.println("| convolution | used by | ONEDNN_MAX_CPU_ISA | kernels | problems |");
        out.println("|---|---|---|---|---|");
        rows.stream().limit(maxRows).forEach(out::println);
        if (rows.size() > maxRows) {
            out.println();
            out.println("... " + (rows.size() - maxRows) + " more in the JSON.");
        }
        out.println();
    }

    /** For each ISA and kind of grid convolution that failed: the in and out channel counts of the failures. */
    private void printChannelRule(PrintStream out) {
        List<String> rows = new ArrayList<>();
        for (int c = 0; c < children.size(); c++) {
            for (SweepGrid.Kind kind : settings.kinds()) {
                SortedSet<Integer> in = new TreeSet<>();
                SortedSet<Integer> outChannels = new TreeSet<>();
                int cells = 0;
                int failing = 0;
                for (ShapeResult result : results) {
                    ConvShape shape = result.shape();
                    if (!shape.uses().contains("grid") || shape.kernel() != kind.kernel || shape.stride() != kind.stride) {
                        continue;
                    }
                    cells++;
                    if (result.outcomes().get(c).fails(settings.tolerance())) {
                        failing++;
                        in.add(shape.inChannels());
                        outChannels.add(shape.outChannels());
                    }
                }
                if (failing > 0) {
                    rows.add(String.format(Locale.ROOT, "| %s | %s | %d of %d | %s | %s |", children.get(c).isa(),
                            kind.label, failing, cells, ranges(in), ranges(outChannels)));
                }
            }
        }
        if (!rows.isEmpty()) {
            out.println("Grid convolutions that failed, by channel count:");
            out.println();
            out.println("| ONEDNN_MAX_CPU_ISA | kind | failing | in channels | out channels |");
            out.println("|---|---|---:|---|---|");
            rows.forEach(out::println);
            out.println();
        }
    }

    private boolean baselineRan() {
        return children.stream().anyMatch(child -> child.isa().equals(settings.baseline()));
    }

    /** The instruction set oneDNN says it dispatched to. */
    private static String dispatched(IsaChild child) {
        return child.log().isa() == null ? "unknown (no oneDNN verbose log)" : child.log().isa();
    }

    /**
     * What an ISA that allows AVX-512 actually tested, when that was not AVX-512: on a CPU without
     * it oneDNN falls back to the best the CPU has, and this says so instead of claiming a result.
     */
    private String coverageNote(IsaChild child) {
        String isa = child.isa();
        boolean allowsAvx512 = isa.equals("ALL") || isa.equals("DEFAULT") || isa.startsWith("AVX512")
                || isa.startsWith("AVX10") || isa.startsWith("AMX");
        String ran = child.log().isa();
        boolean ranAvx512 = ran != null && (ran.contains("AVX-512") || ran.contains("AMX") || ran.contains("AVX10"));
        if (!allowsAvx512 || ranAvx512) {
            return null;
        }
        if (!cpu.hasAvx512()) {
            return "this CPU has no AVX-512, so oneDNN ran " + (ran == null ? "its best other kernels" : ran)
                    + ": AVX-512 kernels were not tested.";
        }
        return "oneDNN ran " + (ran == null ? "an unknown instruction set" : ran) + ", not AVX-512: AVX-512 kernels"
                + " were not tested.";
    }

    private static String worst(IsaSummary s) {
        List<String> parts = new ArrayList<>();
        for (ConvOutput output : ConvOutput.values()) {
            Double value = s.worstVsFloat64().get(output);
            parts.add(value == null ? "-" : IsaOutcome.format(value));
        }
        return String.join(" / ", parts);
    }

    /** The configs among Keel's networks, and the resnet depths. */
    private String keelUses() {
        Set<String> configs = new TreeSet<>();
        for (ShapeResult result : results) {
            result.shape().uses().stream().filter(use -> use.endsWith(".yaml")).forEach(configs::add);
        }
        List<String> parts = new ArrayList<>(configs);
        if (!settings.resnetDepths().isEmpty()) {
            parts.add("resnet-" + settings.resnetDepths().stream().map(String::valueOf).collect(Collectors.joining("/"))
                    + " on 1- and 3-channel images");
        }
        return String.join(", ", parts);
    }

    /** The uses, with the resnet depths folded: {@code quickstart.yaml, resnet-20/32 rgb}. */
    static String describeUses(List<String> uses) {
        List<String> plain = new ArrayList<>();
        List<String> grayscale = new ArrayList<>();
        List<String> rgb = new ArrayList<>();
        for (String use : uses) {
            if (use.matches("resnet-\\d+")) {
                grayscale.add(use.substring("resnet-".length()));
            } else if (use.matches("resnet-\\d+ rgb")) {
                rgb.add(use.substring("resnet-".length(), use.length() - " rgb".length()));
            } else {
                plain.add(use);
            }
        }
        grayscale.sort((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
        rgb.sort((a, b) -> Integer.compare(Integer.parseInt(a), Integer.parseInt(b)));
        if (!grayscale.isEmpty()) {
            plain.add("resnet-" + String.join("/", grayscale));
        }
        if (!rgb.isEmpty()) {
            plain.add("resnet-" + String.join("/", rgb) + " rgb");
        }
        return String.join(", ", plain);
    }

    /** The kernels by propagation kind, forward first: {@code fwd jit:avx2, bwd-data jit:avx2, ...}. */
    private static String kernels(Map<String, Set<String>> kernels) {
        if (kernels.isEmpty()) {
            return "not oneDNN";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> kind : PROPAGATION_KINDS.entrySet()) {
            Set<String> names = kernels.get(kind.getKey());
            if (names != null) {
                parts.add(kind.getValue() + " " + String.join("+", names));
            }
        }
        kernels.keySet().stream().filter(kind -> !PROPAGATION_KINDS.containsKey(kind))
                .forEach(kind -> parts.add(kind + " " + String.join("+", kernels.get(kind))));
        return String.join(", ", parts);
    }

    /** Counts as ranges: {@code 1-15,17,19-31}. */
    static String ranges(SortedSet<Integer> values) {
        StringBuilder text = new StringBuilder();
        Iterator<Integer> it = values.iterator();
        while (it.hasNext()) {
            int first = it.next();
            int last = first;
            while (values.contains(last + 1)) {
                last = it.next();
            }
            text.append(text.length() == 0 ? "" : ",").append(first).append(first == last ? "" : "-" + last);
        }
        return text.toString();
    }

    /**
     * Writes every result: the machine, the settings, a summary per ISA and one object per
     * convolution with, per ISA, each output's error against float64, its NaN/Inf count, its
     * difference from the baseline, the drift of its repeats, the kernels that ran it and its
     * problems, or {@code "same as BASELINE"} when it matched the baseline exactly. Arrays of the
     * top level hold one element per line.
     */
    void writeJson(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("date", LocalDate.now().toString());
        ObjectNode machine = root.putObject("cpu");
        machine.put("model", cpu.model());
        machine.put("logical_cpus", cpu.logicalCpus());
        machine.put("avx512", cpu.hasAvx512());
        machine.putPOJO("vector_flags", cpu.vectorFlags());
        if (!children.isEmpty()) {
            root.put("libtorch", children.get(0).summary().libtorchVersion());
            root.put("djl", children.get(0).summary().djlVersion());
            root.put("onednn", children.get(0).log().version());
            root.put("intra_op_threads", children.get(0).summary().intraOpThreads());
        }
        root.set("settings", JSON.valueToTree(settings));
        ArrayNode left = root.putArray("skipped_configs");
        skipped.forEach(s -> left.addObject().put("config", s.config()).put("reason", s.reason()));
        ArrayNode isaNodes = root.putArray("isas");
        for (int c = 0; c < children.size(); c++) {
            IsaSummary s = summaries.get(c);
            ObjectNode node = isaNodes.addObject();
            node.put("requested", s.isa());
            node.put("onednn_isa", children.get(c).log().isa());
            node.put("note", coverageNote(children.get(c)));
            node.put("seconds", round(children.get(c).summary().seconds()));
            node.put("convolutions", s.convolutions());
            node.put("on_onednn", s.onOneDnn());
            node.put("non_finite", s.nonFinite());
            node.put("off_float64", s.wrong());
            node.put("differ_from_baseline", s.differ());
            node.put("repeats_differ", s.unstable());
            ObjectNode worst = node.putObject("worst_vs_float64");
            s.worstVsFloat64().forEach((output, value) -> worst.put(output.name().toLowerCase(Locale.ROOT), round(value)));
            node.set("kernels", JSON.valueToTree(s.kernelCounts()));
        }
        failures.forEach((isa, message) -> isaNodes.addObject().put("requested", isa).put("failed", message));
        ArrayNode convolutions = root.putArray("convolutions");
        for (ShapeResult result : results) {
            ConvShape shape = result.shape();
            ObjectNode node = convolutions.addObject();
            node.put("label", shape.label());
            node.put("batch", shape.batch()).put("in", shape.inChannels()).put("out", shape.outChannels())
                    .put("size", shape.size()).put("kernel", shape.kernel()).put("stride", shape.stride())
                    .put("padding", shape.padding()).put("training", shape.training());
            node.putPOJO("uses", shape.uses());
            ObjectNode byIsa = node.putObject("isas");
            IsaOutcome baselineOutcome = result.outcomes().stream()
                    .filter(outcome -> outcome.isa().equals(settings.baseline())).findFirst().orElse(null);
            for (IsaOutcome outcome : result.outcomes()) {
                if (baselineOutcome != null && outcome != baselineOutcome && sameAs(outcome, baselineOutcome)) {
                    byIsa.put(outcome.isa(), "same as " + settings.baseline());
                    continue;
                }
                ObjectNode o = byIsa.putObject(outcome.isa());
                ObjectNode errors = o.putObject("vs_float64");
                outcome.vsFloat64().forEach((output, d) -> errors.put(output.name().toLowerCase(Locale.ROOT),
                        round(d.relative())));
                o.put("non_finite", outcome.worstVsFloat64().nonFinite());
                if (!outcome.vsBaseline().isEmpty()) {
                    o.put("vs_baseline", round(outcome.worstVsBaseline().relative()));
                }
                o.put("repeat_drift", round(outcome.repeatDrift().relative()));
                ObjectNode kernels = o.putObject("kernels");
                outcome.kernels().forEach((kind, names) -> kernels.put(kind, String.join("+", names)));
                List<String> problems = outcome.problems(settings.tolerance(), settings.baseline());
                if (!problems.isEmpty()) {
                    o.putPOJO("problems", problems);
                }
            }
        }
        writeOneElementPerLine(root, file);
    }

    /**
     * Whether {@code outcome} gave the baseline's very outputs (no difference at all, no drift) with
     * the same kernels: then the JSON says so instead of repeating the numbers.
     */
    private static boolean sameAs(IsaOutcome outcome, IsaOutcome baseline) {
        Discrepancy difference = outcome.worstVsBaseline();
        return difference.relative() == 0 && difference.nonFinite() == 0
                && outcome.repeatDrift().equals(baseline.repeatDrift())
                && outcome.kernels().equals(baseline.kernels());
    }

    /** Three significant digits: the JSON's numbers are for reading the rule, not for summing. */
    private static double round(double value) {
        return Double.isFinite(value) ? Double.parseDouble(String.format(Locale.ROOT, "%.3g", value)) : value;
    }

    private static void writeOneElementPerLine(ObjectNode root, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("{");
            Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                out.write("\n  " + JSON.writeValueAsString(field.getKey()) + ": ");
                JsonNode value = field.getValue();
                if (value.isArray() && !value.isEmpty()) {
                    out.write("[");
                    for (int i = 0; i < value.size(); i++) {
                        out.write((i == 0 ? "\n    " : ",\n    ") + JSON.writeValueAsString(value.get(i)));
                    }
                    out.write("\n  ]");
                } else {
                    out.write(JSON.writeValueAsString(value));
                }
                out.write(fields.hasNext() ? "," : "\n");
            }
            out.write("}\n");
        }
    }
}
