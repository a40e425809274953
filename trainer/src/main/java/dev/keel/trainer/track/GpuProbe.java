package dev.keel.trainer.track;

import ai.djl.util.cuda.CudaUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the machine's GPUs for provenance: name, memory and driver from nvidia-smi when it is
 * installed, the CUDA runtime's version (and without nvidia-smi, the GPUs) from DJL's {@link
 * CudaUtils}. On a machine without a GPU, without the driver or without CUDA it finds nothing and
 * never throws.
 */
public final class GpuProbe {
    private GpuProbe() {}

    /**
     * The machine's GPUs: as nvidia-smi lists them (name, memory, driver), else as the CUDA runtime
     * numbers them (compute capability only); empty on a CPU-only machine.
     */
    public static List<Gpu> gpus() {
        List<Gpu> gpus = parseNvidiaSmi(CommandOutput.of(Path.of(""), "nvidia-smi",
                "--query-gpu=index,name,memory.total,driver_version", "--format=csv,noheader"));
        if (!gpus.isEmpty()) {
            return gpus;
        }
        // Not CudaUtils.getGpuMemory: it makes a CUDA context on every GPU, which holds memory until exit.
        int count = cudaGpuCount();
        for (int i = 0; i < count; i++) {
            gpus.add(new Gpu(i, null, null, null, computeCapability(i)));
        }
        return gpus;
    }

    /** The CUDA runtime's version that DJL finds, such as "12.4"; null without one. */
    public static String cudaVersion() {
        try {
            if (cudaGpuCount() == 0) {
                return null;
            }
            int version = CudaUtils.getCudaVersion(); // 12040 for 12.4
            return version / 1000 + "." + version % 1000 / 10;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * The GPUs in the output of {@code nvidia-smi --query-gpu=index,name,memory.total,driver_version
     * --format=csv,noheader}, one line each, such as {@code 0, NVIDIA H200, 143771 MiB, 550.54.15};
     * empty for null output or lines it does not recognise.
     */
    static List<Gpu> parseNvidiaSmi(String output) {
        List<Gpu> gpus = new ArrayList<>();
        if (output == null) {
            return gpus;
        }
        for (String line : output.lines().toList()) {
            String[] fields = line.split(",");
            if (fields.length < 4) {
                continue;
            }
            int last = fields.length - 1;
            // A product name could hold a comma; the other fields cannot.
            String name = String.join(",", List.of(fields).subList(1, last - 1)).trim();
            Integer index = integer(fields[0].trim());
            Long memory = mebibytes(fields[last - 1].trim());
            if (index == null || name.isEmpty() || memory == null) {
                continue;
            }
            gpus.add(new Gpu(index, name, memory, fields[last].trim(), null));
        }
        return gpus;
    }

    private static Integer integer(String text) {
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** "143771 MiB" as 143771. */
    private static Long mebibytes(String text) {
        String number = text.toLowerCase(Locale.ROOT).endsWith("mib") ? text.substring(0, text.length() - 3).trim()
                : text;
        try {
            return Long.valueOf(number);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int cudaGpuCount() {
        try {
            return CudaUtils.getGpuCount();
        } catch (RuntimeException | LinkageError e) {
            return 0; // no CUDA library, or JNA cannot load it
        }
    }

    /** "9.0" from CUDA's "90" (the major version, then the minor digit); null when CUDA cannot say. */
    private static String computeCapability(int index) {
        try {
            String capability = CudaUtils.getComputeCapability(index);
            int minor = capability.length() - 1;
            return minor < 1 ? capability : capability.substring(0, minor) + "." + capability.substring(minor);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
