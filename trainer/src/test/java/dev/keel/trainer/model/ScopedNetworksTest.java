package dev.keel.trainer.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import dev.keel.serving.network.ChannelsLast;
import dev.keel.serving.network.Networks;
import dev.keel.serving.network.ScopedSequentialBlock;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.ModelConfig;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The networks Keel builds free their intermediates early and are otherwise DJL's, names and numbers. */
class ScopedNetworksTest {

    @ParameterizedTest(name = "{0} on {1}x{2}x{2}")
    @CsvSource({"'{arch: mlp, hidden: [16, 8]}', 1, 8", "'{arch: cnn, channels: [4, 8], hidden: [8]}', 1, 8",
            "'{arch: resnet, layers: 20}', 1, 28", "'{arch: resnet, layers: 110}', 1, 28",
            "'{arch: resnet, layers: 20}', 3, 28"})
    void parameterNamesAreThoseOfThePlainNetwork(String model, int channels, int side) {
        ModelConfig config = model(model);
        Shape image = new Shape(channels, side, side);
        SequentialBlock plain = switch (config.arch()) {
            case "mlp" -> Networks.mlp(config.hidden(), config.dropout(), 10);
            case "cnn" -> Networks.cnn(config.channels(), config.hidden(), config.dropout(), 10);
            default -> Networks.resNet(config.layers(), image, 10);
        };
        assertEquals(plain.getParameters().keys(), ModelFactory.build(config, image, 10).getParameters().keys());
    }

    private final boolean channelsLastBefore = ChannelsLast.enabled();

    @BeforeEach
    void runChannelsLast() {
        ChannelsLast.setEnabled(true); // as after a passing per-CPU check
    }

    @AfterEach
    void restoreChannelsLast() {
        ChannelsLast.setEnabled(channelsLastBefore);
    }

    /** Keel's networks store their input channels-last; DJL's, fed the same order, give the same bits. */
    @Test
    void resNetGivesDjlsOutputsBitForBitAndKeepsOnlyItsOutput() {
        ModelConfig config = model("{arch: resnet, layers: 20}");
        SequentialBlock plain = Networks.resNet(config.layers(), new Shape(1, 28, 28), 10);
        Block scoped = ScopedSequentialBlock.ofResNet(plain); // the same layers, so the same parameters
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            plain.initialize(manager, DataType.FLOAT32, new Shape(4, 1, 28, 28));
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray input = manager.randomNormal(new Shape(4, 1, 28, 28));
            for (boolean training : new boolean[] {false, true}) {
                try (NDManager plainScope = manager.newSubManager(); NDManager scopedScope = manager.newSubManager()) {
                    NDArray plainInput = ChannelsLast.of(input.duplicate());
                    plainInput.attach(plainScope);
                    NDList plainOut = plain.forward(parameters, new NDList(plainInput), training);
                    NDArray scopedInput = input.duplicate();
                    scopedInput.attach(scopedScope);
                    NDList scopedOut = scoped.forward(parameters, new NDList(scopedInput), training);
                    assertArrayEquals(plainOut.singletonOrThrow().toFloatArray(),
                            scopedOut.singletonOrThrow().toFloatArray(), "training " + training);
                    int plainArrays = plainScope.getManagedArrays().size();
                    int scopedArrays = scopedScope.getManagedArrays().size();
                    assertTrue(plainArrays > 50, "DJL keeps every intermediate: " + plainArrays);
                    assertTrue(scopedArrays <= 3, "input and output, not the intermediates: " + scopedArrays);
                }
            }
        }
    }

    @Test
    void parametersSavedFromDjlsResNetLoadIntoKeelsAndGiveTheSameOutputs() throws Exception {
        ModelConfig config = model("{arch: resnet, layers: 20}");
        Shape batch = new Shape(2, 1, 28, 28);
        SequentialBlock plain = Networks.resNet(config.layers(), new Shape(1, 28, 28), 10);
        Block keel = ModelFactory.build(config, new Shape(1, 28, 28), 10);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            plain.initialize(manager, DataType.FLOAT32, batch);
            keel.initialize(manager, DataType.FLOAT32, batch);
            java.io.ByteArrayOutputStream saved = new java.io.ByteArrayOutputStream();
            plain.saveParameters(new java.io.DataOutputStream(saved));
            keel.loadParameters(manager, new java.io.DataInputStream(new java.io.ByteArrayInputStream(saved.toByteArray())));
            ParameterStore parameters = new ParameterStore(manager, false);
            NDArray input = manager.randomNormal(batch);
            assertArrayEquals(plain.forward(parameters, new NDList(ChannelsLast.of(input)), false).singletonOrThrow()
                    .toFloatArray(), keel.forward(parameters, new NDList(input), false).singletonOrThrow().toFloatArray());
            // Against DJL's own NCHW order: the same values up to float32 rounding.
            float[] nchw = plain.forward(parameters, new NDList(input), false).singletonOrThrow().toFloatArray();
            float[] channelsLast = keel.forward(parameters, new NDList(input), false).singletonOrThrow().toFloatArray();
            for (int i = 0; i < nchw.length; i++) {
                assertEquals(nchw[i], channelsLast[i], 1e-5 * Math.max(1, Math.abs(nchw[i])), "output " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0}: channels-last {1}")
    @CsvSource({"'{arch: cnn, channels: [4, 8], hidden: [8]}', true", "'{arch: resnet, layers: 20}', true",
            "'{arch: mlp, hidden: [16]}', false"})
    void networksThatStartWithAConvolutionRunChannelsLast(String model, boolean channelsLast) {
        ScopedSequentialBlock block = (ScopedSequentialBlock) ModelFactory.build(model(model), new Shape(1, 28, 28), 10);
        assertEquals(channelsLast, block.channelsLast());
        List<ai.djl.util.Pair<String, Block>> layers = new java.util.ArrayList<>();
        block.getChildren().forEach(layers::add);
        assertEquals(channelsLast, ScopedSequentialBlock.ofLayers(layers.subList(0, 2)).channelsLast(),
                "a body cut from it");
    }

    @Test
    void channelsLastKeepsTheValuesOfOneAndThreeChannelImages() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int channels : new int[] {1, 3}) {
                NDArray images = manager.randomNormal(new Shape(2, channels, 5, 4));
                NDArray reordered = ChannelsLast.of(images);
                assertEquals(images.getShape(), reordered.getShape());
                assertArrayEquals(images.toFloatArray(), reordered.toFloatArray(), channels + " channels");
                assertArrayEquals(images.toFloatArray(), ChannelsLast.of(reordered).toFloatArray(), "converted twice");
            }
            NDList rows = new NDList(manager.ones(new Shape(2, 3)));
            assertTrue(rows == ChannelsLast.of(rows), "rows are not images: the same list back");
        }
    }

    @Test
    void aCutNetworkKeepsItsLayersNames() {
        Block resNet = ModelFactory.build(model("{arch: resnet, layers: 20}"), new Shape(1, 28, 28), 10);
        List<ai.djl.util.Pair<String, Block>> layers = new java.util.ArrayList<>();
        resNet.getChildren().forEach(layers::add);
        Block body = ScopedSequentialBlock.ofLayers(layers.subList(0, 4));
        assertEquals(resNet.getChildren().keys().subList(0, 4), body.getChildren().keys());
        assertEquals("02ParallelBlock", body.getChildren().keyAt(1), "DJL's name for a residual unit");
    }

    private static ModelConfig model(String yaml) {
        return ConfigLoader.fromYaml("t.yaml", "model: " + yaml, List.of()).model();
    }
}
