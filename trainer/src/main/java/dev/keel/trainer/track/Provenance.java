package dev.keel.trainer.track;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What a run's results depend on beyond its config: versions of Keel, DJL, PyTorch and the JDK,
 * the machine, its GPUs and the device, the git commit and whether the checkout had changes, the
 * data's fingerprint, the seed and the command line. Floating-point results differ across
 * platforms, so all of it is recorded.
 */
public final class Provenance {
    private Provenance() {}

    /** The provenance of a run about to start, as JSON. */
    public static ObjectNode of(List<String> commandLine, long seed, Device device, ObjectNode dataset) {
        ObjectNode json = RunDirectory.JSON.createObjectNode();
        json.put("keel_version", keelVersion());
        json.put("djl_version", Engine.getDjlVersion());
        Engine engine = Engine.getInstance();
        json.put("engine", engine.getEngineName());
        json.put("engine_version", engine.getVersion());
        json.put("java_version", System.getProperty("java.version"));
        json.put("java_vendor", System.getProperty("java.vendor"));
        json.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        json.put("cpu", cpuModel());
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("device", device.toString());
        json.put("gpu_count", engine.getGpuCount());
        putGpus(json, GpuProbe.gpus(), GpuProbe.cudaVersion());
        GitState git = GitState.of(Path.of(""));
        json.put("git_commit", git.label());
        json.put("git_dirty", git.dirty());
        json.put("seed", seed);
        json.set("dataset", dataset.deepCopy());
        ArrayNode command = json.putArray("command_line");
        commandLine.forEach(command::add);
        json.put("started", Instant.now().toString());
        return json;
    }

    /** Keel's version from its jar's manifest, or "dev" when run from classes. */
    public static String keelVersion() {
        String version = Provenance.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    /** {@code gpus} (each GPU's name, memory, driver) and {@code cuda_version}; both null on a CPU-only machine. */
    static void putGpus(ObjectNode json, List<Gpu> gpus, String cudaVersion) {
        if (gpus.isEmpty()) {
            json.putNull("gpus");
        } else {
            ArrayNode list = json.putArray("gpus");
            gpus.forEach(gpu -> list.add(gpu.toJson()));
        }
        json.put("cuda_version", cudaVersion);
    }
}
