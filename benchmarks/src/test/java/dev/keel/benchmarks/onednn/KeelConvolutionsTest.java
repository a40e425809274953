package dev.keel.benchmarks.onednn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.engine.Convolution;
import dev.keel.trainer.engine.ModelConvolutions;
import dev.keel.trainer.isa.ConvShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The convolutions found in the networks Keel builds. */
class KeelConvolutionsTest {
    @Test
    void quickstartHasOneToTwentyFourAndTwentyFourToFortyEight() {
        List<ConvShape> shapes = KeelConvolutions.of(
                ConfigLoader.load(Path.of("..", "configs", "quickstart.yaml"), List.of()), "quickstart.yaml");

        assertEquals(List.of("3x3/1 1->24 28x28 b128 train", "3x3/1 24->48 14x14 b128 train",
                "3x3/1 1->24 28x28 b512 eval", "3x3/1 24->48 14x14 b512 eval"),
                shapes.stream().map(ConvShape::label).toList());
    }

    @Test
    void resnet20HasNineDistinctConvolutionsPerImageKind() {
        List<ConvShape> training = ConvShape.distinct(KeelConvolutions.ofResnets(List.of(20))).stream()
                .filter(shape -> shape.training() && shape.uses().contains("resnet-20")).toList();

        // The stem; stage 1 (16 filters, a 1x1 projection on its first unit); stages 2 and 3 halve the
        // image with stride-2 3x3 convolutions and 1x1 projections.
        assertEquals(List.of("3x3/1 1->16 28x28 b128 train", "3x3/1 16->16 28x28 b128 train",
                "1x1/1 16->16 28x28 b128 train", "3x3/2 16->32 28x28 b128 train", "3x3/1 32->32 14x14 b128 train",
                "1x1/2 16->32 28x28 b128 train", "3x3/2 32->64 14x14 b128 train", "3x3/1 64->64 7x7 b128 train",
                "1x1/2 32->64 14x14 b128 train"), training.stream().map(ConvShape::label).toList());
    }

    @Test
    void deeperResnetsHaveTheSameConvolutions() {
        List<ConvShape> shapes = ConvShape.distinct(KeelConvolutions.ofResnets(KeelConvolutions.RESNET_DEPTHS));

        // 9 on grayscale, the RGB stem, at two batch sizes.
        assertEquals(20, shapes.size());
        assertTrue(shapes.stream().filter(shape -> shape.inChannels() != 3)
                .allMatch(shape -> shape.uses().containsAll(List.of("resnet-20", "resnet-110"))));
    }

    @Test
    void configsWithoutAConvolutionNetworkOfTheirOwnAreSkipped() {
        KeelConvolutions.Found found = KeelConvolutions.ofConfigs(Path.of("..", "configs"));

        assertTrue(found.skipped().stream().anyMatch(s -> s.config().equals("breast-cancer.yaml")));
        assertTrue(found.skipped().stream().anyMatch(s -> s.config().equals("transfer-finetune.yaml")));
        assertTrue(found.shapes().stream().anyMatch(s -> s.uses().contains("quickstart.yaml")));
    }

    @Test
    void theConvolutionsKeelChoosesItsCapFromAreThoseOfTheInitialisedNetworks() {
        List<RunConfig> configs = new ArrayList<>();
        for (int depth : KeelConvolutions.RESNET_DEPTHS) {
            configs.add(KeelConvolutions.resnet(depth, false));
            configs.add(KeelConvolutions.resnet(depth, true));
        }
        configs.add(ConfigLoader.load(Path.of("..", "configs", "quickstart.yaml"), List.of()));
        configs.add(ConfigLoader.fromYaml("cnn", "model: {arch: cnn, channels: [8, 16, 32, 64]}\n", List.of()));

        for (RunConfig config : configs) {
            List<Convolution> initialised = KeelConvolutions.of(config, "test").stream().filter(ConvShape::training)
                    .map(s -> new Convolution(s.inChannels(), s.outChannels(), s.kernel(), s.stride())).toList();

            assertEquals(Optional.of(initialised),
                    ModelConvolutions.of(config.model(), KeelConvolutions.imageShape(config.data())), config.model()
                            + " on " + KeelConvolutions.imageShape(config.data()));
        }
    }
}
