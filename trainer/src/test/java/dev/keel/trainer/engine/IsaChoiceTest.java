package dev.keel.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.Shape;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.ModelConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cap chosen for each kind of model, as a pure function of the model and the environment. */
class IsaChoiceTest {
    private static final Shape GRAYSCALE = new Shape(1, 28, 28);

    @Test
    void theQuickstartIsCappedByItsFirstConvolution() {
        ModelConfig quickstart = ConfigLoader.load(Path.of("..", "configs", "quickstart.yaml"), List.of()).model();

        assertEquals(new IsaChoice("AVX2", "conv 1 -> 24 (3x3, stride 1): input channels not a multiple of 16"),
                IsaChoice.forModel(quickstart, GRAYSCALE, null));
    }

    @Test
    void aResnetIsCappedByItsStem() {
        assertEquals(new IsaChoice("AVX2", "conv 3 -> 16 (3x3, stride 1): input channels not a multiple of 16"),
                IsaChoice.forModel(model("{arch: resnet, layers: 20}"), new Shape(3, 28, 28), null));
        assertEquals(new IsaChoice("AVX2", "conv 1 -> 16 (3x3, stride 1): input channels not a multiple of 16"),
                IsaChoice.forModel(model("{arch: resnet, layers: 110}"), GRAYSCALE, null));
    }

    @Test
    void networksWithoutConvolutionsAreNotCapped() {
        assertEquals(new IsaChoice("ALL", "no convolution"),
                IsaChoice.forModel(model("{arch: mlp, hidden: [256]}"), GRAYSCALE, null));
        assertEquals(new IsaChoice("ALL", "no convolution"),
                IsaChoice.forModel(new ModelConfig("tabular-mlp", List.of(64, 32), List.of(32), 0.1, 20), new Shape(30),
                        null));
    }

    @Test
    void aCnnIsUncappedOnlyWhenEveryConvolutionReadsAMultipleOf16Channels() {
        Shape sixteenChannels = new Shape(16, 28, 28);

        assertEquals(new IsaChoice("ALL", "every convolution's input channels are a multiple of 16"),
                IsaChoice.forModel(model("{arch: cnn, channels: [32, 64]}"), sixteenChannels, null));
        assertEquals(new IsaChoice("AVX2", "conv 24 -> 48 (3x3, stride 1): input channels not a multiple of 16"),
                IsaChoice.forModel(model("{arch: cnn, channels: [24, 48, 64]}"), sixteenChannels, null));
    }

    @Test
    void theFirstOffendingConvolutionIsNamed() {
        List<Convolution> convolutions = List.of(new Convolution(16, 32, 3, 1), new Convolution(32, 40, 1, 2),
                new Convolution(40, 8, 3, 2));

        assertEquals(new IsaChoice("AVX2", "conv 40 -> 8 (3x3, stride 2): input channels not a multiple of 16"),
                IsaChoice.forConvolutions(convolutions, null));
    }

    @Test
    void convolutionsThatAreNotKnownAreCapped() {
        assertEquals(new IsaChoice("AVX2", "the TorchScript body net.pt: its convolutions are not known before it"
                + " runs"), IsaChoice.forUnknownConvolutions("the TorchScript body net.pt", null));
        assertEquals(new IsaChoice("AVX2", "model.arch torchscript: its convolutions are not known before it runs"),
                IsaChoice.forModel(new ModelConfig("torchscript", List.of(), List.of(), 0, 20), GRAYSCALE, null));
    }

    @Test
    void theUsersValueAlwaysWins() {
        ModelConfig quickstart = model("{arch: cnn, channels: [24, 48]}");

        assertEquals(new IsaChoice("ALL", "set in the environment"), IsaChoice.forModel(quickstart, GRAYSCALE, "ALL"));
        assertEquals(new IsaChoice("AVX512_CORE", "set in the environment"),
                IsaChoice.forModel(model("{arch: mlp}"), GRAYSCALE, "AVX512_CORE"));
        assertEquals(new IsaChoice("SSE41", "set in the environment"), IsaChoice.forUnknownConvolutions("x", "SSE41"));
        assertEquals("AVX2", IsaChoice.forModel(quickstart, GRAYSCALE, "").value(), "an empty value is no value");
    }

    private static ModelConfig model(String yaml) {
        return ConfigLoader.fromYaml("test.yaml", "model: " + yaml + "\n", List.of()).model();
    }
}
