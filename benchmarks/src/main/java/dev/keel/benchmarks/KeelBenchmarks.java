package dev.keel.benchmarks;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.Main;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.ProfilersFailedException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The benchmarks jar's entry point: JMH's own command line ({@code java -jar benchmarks.jar -h}),
 * with one addition. Every benchmark has a {@code device} parameter ({@code cpu}, {@code gpu});
 * when {@code gpu} is among the values to run (it is by default) and DJL's PyTorch engine sees no
 * CUDA device, this prints {@code no GPU: ... skipping device=gpu} and runs the other values only,
 * so a plain run on a CPU machine measures the CPU and fails nothing. When {@code gpu} was the only
 * value asked for, nothing runs and the exit status is 0.
 *
 * <p>The benchmarks' forks inherit this process's environment; it warns when the settings that
 * tools/bench_compare.py exports are missing ({@code ONEDNN_MAX_CPU_ISA=AVX2}, the cap Keel chooses
 * for the cnn and resnet, and the {@code keel} launcher's {@code MALLOC_*}), since they change what
 * is measured.
 */
public final class KeelBenchmarks {
    private static final List<String> RUNNER_ENVIRONMENT = List.of(
            "ONEDNN_MAX_CPU_ISA", "MALLOC_ARENA_MAX", "MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_");

    private KeelBenchmarks() {}

    /**
     * Runs JMH with the given arguments, minus {@code device=gpu} where there is no GPU.
     *
     * @param args JMH's command line
     */
    public static void main(String[] args) throws IOException {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            Main.main(args); // JMH reports the error in its own words
            return;
        }
        if (options.shouldHelp() || options.shouldList() || options.shouldListWithParams()
                || options.shouldListProfilers() || options.shouldListResultFormats()) {
            Main.main(args);
            return;
        }
        quietLogging();
        warnAboutEnvironment();
        List<String> devices = new ArrayList<>(options.getParameter("device").orElse(List.of(Fixtures.CPU, Fixtures.GPU)));
        if (devices.contains(Fixtures.GPU) && Engine.getInstance().getGpuCount() == 0) {
            System.out.println(Fixtures.NO_GPU);
            devices.remove(Fixtures.GPU);
            if (devices.isEmpty()) {
                return;
            }
        }
        Options filtered = new OptionsBuilder().parent(options)
                .param("device", devices.toArray(String[]::new))
                .build();
        try {
            new Runner(filtered).run();
        } catch (NoBenchmarksException e) {
            System.err.println("No matching benchmarks. Misspelled regexp? Use -l to list them.");
            System.exit(1);
        } catch (ProfilersFailedException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        } catch (RunnerException e) {
            System.err.print("ERROR: ");
            e.printStackTrace(System.err);
            System.exit(1);
        }
    }

    /** DJL logs engine details at info level, and CUDA probing noise where there is no driver. */
    static void quietLogging() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "off");
    }

    static void warnAboutEnvironment() {
        List<String> missing = RUNNER_ENVIRONMENT.stream().filter(name -> System.getenv(name) == null).toList();
        if (!missing.isEmpty()) {
            System.out.println("note: " + String.join(", ", missing) + " not set; tools/bench_compare.py exports them"
                    + " (docs/benchmarks.md) and the benchmark forks inherit this environment.");
        }
    }
}
