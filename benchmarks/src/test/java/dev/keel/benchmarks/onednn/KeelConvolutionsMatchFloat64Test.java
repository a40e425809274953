package dev.keel.benchmarks.onednn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.engine.IsaChoice;
import dev.keel.trainer.isa.ConvShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard on the cap Keel chooses for the networks where NaN was once seen, the quickstart cnn
 * and resnet-20 (on grayscale and RGB images). The cap {@link IsaChoice} chooses for each, for a
 * user who set none, is applied in a fresh JVM as {@code keel} applies it: set in the process
 * before the first convolution, with no {@code ONEDNN_MAX_CPU_ISA} in the environment. Their
 * convolutions, at the training and evaluation batch sizes, run on oneDNN twice each, give the
 * float64 reference's numbers without NaN, and no kernel of an instruction set above the cap runs
 * them. The convolution where NaN was once seen, 24 -> 48 channels at 14x14, is among them.
 */
class KeelConvolutionsMatchFloat64Test {
    private static final double TOLERANCE = 1e-4;
    private static final long SEED = 42;

    @Test
    void quickstartAndResnet20ConvolutionsMatchFloat64UnderTheCapKeelChooses(@TempDir Path dir) throws Exception {
        Map<String, RunConfig> models = new LinkedHashMap<>();
        models.put("quickstart.yaml", ConfigLoader.load(Path.of("..", "configs", "quickstart.yaml"), List.of()));
        models.put("resnet-20", KeelConvolutions.resnet(20, false));
        models.put("resnet-20 rgb", KeelConvolutions.resnet(20, true));
        Map<String, List<ConvShape>> shapesByCap = new TreeMap<>();
        models.forEach((use, config) -> {
            IsaChoice choice = IsaChoice.forModel(config.model(), KeelConvolutions.imageShape(config.data()), null);
            shapesByCap.computeIfAbsent(choice.value(), cap -> new ArrayList<>())
                    .addAll(KeelConvolutions.of(config, use));
        });

        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, List<ConvShape>> entry : shapesByCap.entrySet()) {
            String cap = entry.getKey();
            List<ConvShape> shapes = ConvShape.distinct(entry.getValue());
            Path work = Files.createDirectories(dir.resolve(cap));
            Path shapesFile = work.resolve("shapes.json");
            new ObjectMapper().writeValue(shapesFile.toFile(), shapes);
            IsaChild child = IsaChild.run(cap, IsaChild.CapSetting.IN_PROCESS, shapesFile, work, 2, SEED, true);
            assertEquals(cap, child.summary().maxCpuIsa(), "the cap the child applied");
            for (ShapeResult result : SweepComparison.compare(shapes, List.of(child), cap, SEED)) {
                IsaOutcome outcome = result.outcomes().get(0);
                String label = "ONEDNN_MAX_CPU_ISA=" + cap + " " + result.shape().label() + ": ";
                outcome.problems(TOLERANCE, cap).forEach(problem -> failures.add(label + problem));
                if (!outcome.ranOnOneDnn()) {
                    failures.add(label + "not run by oneDNN");
                }
                outcome.kernels().values().stream().flatMap(Set::stream)
                        .filter(kernel -> cap.equals(IsaChoice.CAP) && aboveAvx2(kernel))
                        .forEach(kernel -> failures.add(label + "ran " + kernel));
            }
        }
        assertTrue(failures.isEmpty(), "convolutions off the float64 reference, unstable, not finite or above their"
                + " cap: " + failures);
    }

    private static boolean aboveAvx2(String kernel) {
        return kernel.contains("avx512") || kernel.contains("avx10") || kernel.contains("amx");
    }
}
