package dev.keel.benchmarks.onednn;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.isa.ConvShape;
import dev.keel.trainer.isa.CpuInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * Which of oneDNN's convolution kernels give the right numbers on this CPU and libtorch. Runs a
 * grid of convolutions and every convolution of the networks Keel builds through DJL's PyTorch
 * engine, once per {@code ONEDNN_MAX_CPU_ISA}, each in its own JVM (oneDNN reads the variable
 * once), and compares every output and gradient with a float64 reference and with the baseline
 * ISA's. Prints a Markdown report (a summary per ISA, the failing convolutions) and writes every
 * result as JSON to {@code --out}. Exit status 0: every convolution matched; 1: some did not (or
 * a child JVM failed); 2: usage.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.keel.benchmarks.onednn.ConvolutionIsaSweep --out sweep.json
 * </pre>
 *
 * Run it from the repository root, where {@code configs/} is; tools/onednn_sweep.py does, with the
 * {@code keel} launcher's environment.
 */
@Command(name = "ConvolutionIsaSweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs convolutions once per ONEDNN_MAX_CPU_ISA, each in its own JVM, and compares every output "
                + "and gradient with a float64 reference and with the baseline ISA.")
public final class ConvolutionIsaSweep implements Callable<Integer> {
    /** The values of ONEDNN_MAX_CPU_ISA that oneDNN 3 documents; it ignores others and runs the best ISA. */
    private static final Set<String> KNOWN_ISAS = Set.of("ALL", "DEFAULT", "SSE41", "AVX", "AVX2", "AVX2_VNNI",
            "AVX2_VNNI_2", "AVX512_CORE", "AVX512_CORE_VNNI", "AVX512_CORE_BF16", "AVX10_1_512", "AVX512_CORE_FP16",
            "AVX10_1_512_AMX", "AVX512_CORE_AMX", "AVX10_1_512_AMX_FP16", "AVX512_CORE_AMX_FP16");

    /** {@code --layout}'s default: the order Keel's networks run in when the per-CPU check passed. */
    static final String CHANNELS_LAST = "channels-last";

    @Option(names = "--isas", split = ",", defaultValue = "ALL,AVX512_CORE,AVX2",
            description = "ONEDNN_MAX_CPU_ISA values, one JVM each (default: ${DEFAULT-VALUE}).")
    private List<String> isas;

    @Option(names = "--baseline", defaultValue = "AVX2",
            description = "The ISA every other is compared with, one of --isas (default: ${DEFAULT-VALUE}).")
    private String baseline;

    @Option(names = "--in-channels", defaultValue = "1-32,48,64",
            description = "The grid's input channel counts, counts and ranges (default: ${DEFAULT-VALUE}).")
    private String inChannels;

    @Option(names = "--out-channels", defaultValue = "1,3,8,15,16,17,24,32,48,64",
            description = "The grid's output channel counts (default: ${DEFAULT-VALUE}).")
    private String outChannels;

    @Option(names = "--kernels", split = ",", defaultValue = "3x3/1,3x3/2,1x1/1,1x1/2",
            description = "The grid's kinds of convolution, KERNELxKERNEL/STRIDE (default: ${DEFAULT-VALUE}).")
    private List<String> kernels;

    @Option(names = "--size", defaultValue = "8", description = "The grid's image side (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = "--batch", defaultValue = "16",
            description = "The grid's batch size; from 16 on, libtorch gives every float32 convolution to oneDNN "
                    + "(default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--grid-only", description = "Leave out the convolutions of Keel's networks.")
    private boolean gridOnly;

    @Option(names = "--configs", defaultValue = "configs",
            description = "Folder of Keel configs whose cnn and resnet convolutions are added (default: ${DEFAULT-VALUE}).")
    private Path configs;

    @Option(names = "--resnet-depths", split = ",",
            description = "Resnet depths whose convolutions are added, on 1- and 3-channel 28x28 images "
                    + "(default: every depth Keel accepts, ${DEFAULT-VALUE}).")
    private List<Integer> resnetDepths = KeelConvolutions.RESNET_DEPTHS;

    @Option(names = "--layout", defaultValue = CHANNELS_LAST,
            description = "How the inputs are stored: channels-last (as Keel's networks run when the per-CPU check"
                    + " passed) or nchw (default: ${DEFAULT-VALUE}).")
    private String layout;

    @Option(names = "--repeats", defaultValue = "2",
            description = "Runs of each convolution per JVM; later runs must repeat the first (default: ${DEFAULT-VALUE}).")
    private int repeats;

    @Option(names = "--tolerance", defaultValue = "1e-4",
            description = "Largest difference allowed, relative to each output's largest magnitude "
                    + "(default: ${DEFAULT-VALUE}).")
    private double tolerance;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random operands (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--max-rows", defaultValue = "60",
            description = "Failing convolutions listed in the printed table; the JSON has all (default: ${DEFAULT-VALUE}).")
    private int maxRows;

    @Option(names = "--out", paramLabel = "FILE", description = "Write every result here as JSON.")
    private Path out;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Keep the child JVMs' outputs and oneDNN logs here (default: a temporary folder, deleted).")
    private Path workDir;

    @Spec
    private CommandSpec spec;

    /** Runs the sweep; see the type's description. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ConvolutionIsaSweep()).execute(args));
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<SweepGrid.Kind> kinds = validateOptions();
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "off");
        List<ConvShape> shapes = new ArrayList<>(SweepGrid.shapes(SweepGrid.parseChannels(inChannels),
                SweepGrid.parseChannels(outChannels), kinds, size, batch));
        List<KeelConvolutions.Skipped> skipped = List.of();
        if (!gridOnly) {
            KeelConvolutions.Found found = KeelConvolutions.ofConfigs(configs);
            shapes.addAll(found.shapes());
            shapes.addAll(KeelConvolutions.ofResnets(resnetDepths));
            skipped = found.skipped();
        }
        shapes = ConvShape.distinct(shapes);
        SweepSettings settings = new SweepSettings(isas, baseline, inChannels, outChannels, kinds, size, batch,
                !gridOnly, configs.toString(), resnetDepths, repeats, tolerance, seed, layout);

        boolean temporary = workDir == null;
        Path work = temporary ? Files.createTempDirectory("onednn-sweep") : Files.createDirectories(workDir);
        try {
            Path shapesFile = work.resolve("shapes.json");
            new ObjectMapper().writeValue(shapesFile.toFile(), shapes);
            List<IsaChild> children = new ArrayList<>();
            Map<String, String> failures = new LinkedHashMap<>();
            for (String isa : isas) {
                System.err.printf("ONEDNN_MAX_CPU_ISA=%s: %d convolutions, %d run(s) each...%n", isa, shapes.size(),
                        repeats);
                try {
                    children.add(IsaChild.run(isa, shapesFile, work, repeats, seed, layout.equals(CHANNELS_LAST)));
                } catch (IOException e) {
                    failures.put(isa, e.getMessage());
                }
            }
            System.err.println("comparing with the float64 reference...");
            List<ShapeResult> results = SweepComparison.compare(shapes, children, baseline, seed);
            SweepReport report = new SweepReport(settings, CpuInfo.read(), skipped, children, failures, results);
            report.print(System.out, maxRows);
            if (out != null) {
                report.writeJson(out);
            }
            return failures.isEmpty() && report.failingCount() == 0 ? 0 : 1;
        } finally {
            if (temporary) {
                deleteFolder(work);
            }
        }
    }

    private List<SweepGrid.Kind> validateOptions() {
        try {
            if (!isas.contains(baseline)) {
                throw new IllegalArgumentException("--baseline " + baseline + " is not one of --isas " + isas);
            }
            if (!List.of(CHANNELS_LAST, "nchw").contains(layout)) {
                throw new IllegalArgumentException("--layout " + layout + " is not channels-last or nchw");
            }
            if (size < 1 || batch < 1 || repeats < 1 || !(tolerance > 0) || maxRows < 0) {
                throw new IllegalArgumentException("--size, --batch and --repeats must be at least 1, --tolerance above 0");
            }
            isas.stream().filter(isa -> !KNOWN_ISAS.contains(isa)).forEach(isa -> System.err.println("note: "
                    + isa + " is not an ONEDNN_MAX_CPU_ISA value oneDNN 3 documents; oneDNN ignores unknown values"
                    + " and runs the best ISA the CPU has (the report's \"oneDNN ran\" says which)"));
            SweepGrid.parseChannels(inChannels);
            SweepGrid.parseChannels(outChannels);
            if (!gridOnly && !Files.isDirectory(configs)) {
                throw new IllegalArgumentException("--configs " + configs + " is not a folder (run from the repository"
                        + " root, or pass --grid-only)");
            }
            return kernels.stream().map(SweepGrid.Kind::parse).distinct().toList();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private static void deleteFolder(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
