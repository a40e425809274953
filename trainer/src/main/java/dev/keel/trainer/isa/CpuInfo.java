package dev.keel.trainer.isa;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CPU as Linux describes it in {@code /proc/cpuinfo}: its model and the vector extensions that
 * decide which of oneDNN's kernels can run.
 *
 * @param vectorFlags those of {@link #VECTOR_FLAGS} the CPU has
 */
public record CpuInfo(String model, int logicalCpus, List<String> vectorFlags) {
    /** The flags oneDNN's x86 ISA levels are built on, in order. */
    public static final List<String> VECTOR_FLAGS = List.of("avx2", "avx512f", "avx512bw", "avx512vl", "avx512dq",
            "avx512_vnni", "avx512_bf16", "avx512_fp16", "amx_tile");

    public static CpuInfo read() {
        try {
            return parse(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException e) {
            return new CpuInfo("unknown (no /proc/cpuinfo)", Runtime.getRuntime().availableProcessors(), List.of());
        }
    }

    public static CpuInfo parse(String cpuinfo) {
        String model = "unknown";
        Set<String> flags = Set.of();
        int processors = 0;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "processor" -> processors++;
                case "model name" -> model = value;
                case "flags" -> flags = Arrays.stream(value.split("\\s+")).collect(Collectors.toSet());
                default -> { }
            }
        }
        Set<String> present = flags;
        return new CpuInfo(model, processors, VECTOR_FLAGS.stream().filter(present::contains).toList());
    }

    /** Whether the CPU can run AVX-512 code at all (oneDNN's {@code AVX512_CORE} needs more: bw, vl, dq). */
    public boolean hasAvx512() {
        return vectorFlags.contains("avx512f");
    }
}
