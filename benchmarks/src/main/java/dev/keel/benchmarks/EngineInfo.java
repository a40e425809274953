package dev.keel.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.cuda.CudaUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Prints, as one JSON object, what the benchmarks run on from the JVM's side: DJL and libtorch
 * versions, libtorch's thread counts, the JVM, the parameter counts of the benchmark models, and
 * the GPUs PyTorch sees. tools/bench_compare.py records it next to the results:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.keel.benchmarks.EngineInfo}.
 */
public final class EngineInfo {
    private EngineInfo() {}

    /**
     * Prints the description on standard output.
     *
     * @param args none
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "off");
        Engine engine = Engine.getInstance();
        ObjectMapper json = new ObjectMapper();
        ObjectNode info = json.createObjectNode();
        info.put("djl_version", Engine.getDjlVersion());
        info.put("engine", engine.getEngineName());
        info.put("engine_version", engine.getVersion());
        info.put("intra_op_threads", JniUtils.getNumThreads());
        info.put("inter_op_threads", JniUtils.getNumInteropThreads());
        info.put("java_version", System.getProperty("java.version"));
        info.put("java_vm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        ObjectNode parameters = info.putObject("model_parameters");
        for (String model : Fixtures.MODELS) {
            try (Model djlModel = Model.newInstance(model, Device.cpu())) {
                djlModel.setBlock(Fixtures.block(model));
                djlModel.getBlock().initialize(djlModel.getNDManager(), DataType.FLOAT32,
                        new Shape(1).addAll(Fixtures.IMAGE_SHAPE));
                parameters.put(model, Fixtures.parameterCount(djlModel.getBlock()));
            }
        }
        int gpus = engine.getGpuCount();
        info.put("gpu_count", gpus);
        ArrayNode gpuList = info.putArray("gpus");
        for (int i = 0; i < gpus; i++) {
            ObjectNode gpu = gpuList.addObject();
            gpu.put("index", i);
            gpu.put("compute_capability", CudaUtils.getComputeCapability(i));
            gpu.put("memory_mb", CudaUtils.getGpuMemory(Device.gpu(i)).getMax() / (1024 * 1024));
        }
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(info));
    }
}
