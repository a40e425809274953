package dev.keel.trainer.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The TorchScript fixtures that {@code tools/torchscript_fixtures.py} exports from PyTorch 1.13 load
 * through DJL's PyTorch engine (libtorch 2.7.1) with trainable parameters, and compute what PyTorch
 * computed for the same inputs: the ground that fine-tuning them stands on.
 */
class TorchScriptFixtureTest {
    private static final Path FIXTURES = Path.of("src/test/resources/dev/keel/trainer/transfer");

    @ParameterizedTest
    @CsvSource({"fmnist5-features, features_outputs, 32", "fmnist5-full, full_outputs, 5"})
    void loadsTrainableAndMatchesPyTorch(String name, String outputs, int width) throws Exception {
        JsonNode json = new ObjectMapper().readTree(FIXTURES.resolve("fmnist5.json").toFile());
        try (Model model = Model.newInstance(name, Device.cpu(), "PyTorch")) {
            model.load(FIXTURES, name, Map.of("trainParam", "true"));
            Block block = model.getBlock();
            int parameters = 0;
            for (Pair<String, Parameter> parameter : block.getParameters()) {
                assertTrue(parameter.getValue().requiresGradient(), parameter.getKey() + " is trainable");
                parameters++;
            }
            assertEquals(name.endsWith("full") ? 12 : 10, parameters, "convolutions, batch norms and linear layers");
            NDManager manager = model.getNDManager();
            float[] input = new float[2 * 784];
            for (int i = 0; i < input.length; i++) {
                input[i] = (float) json.get("inputs").get(i / 784).get(i % 784).asDouble();
            }
            NDArray x = manager.create(input, new Shape(2, 1, 28, 28));
            NDArray out = block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            assertEquals(new Shape(2, width), out.getShape());
            float[] got = out.toFloatArray();
            for (int i = 0; i < got.length; i++) {
                assertEquals(json.get(outputs).get(i / width).get(i % width).asDouble(), got[i], 1e-4,
                        name + " output " + i);
            }
        }
    }
}
