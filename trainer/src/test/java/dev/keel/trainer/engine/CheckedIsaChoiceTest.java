package dev.keel.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import dev.keel.serving.network.ChannelsLast;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.isa.CheckedShape;
import dev.keel.trainer.isa.ConvShape;
import dev.keel.trainer.isa.CpuCheck;
import dev.keel.trainer.isa.MachineKey;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cap the per-CPU check's verdict chooses, and what wins over it. */
class CheckedIsaChoiceTest {
    private static final Shape GRAYSCALE = new Shape(1, 28, 28);
    private static final ModelConfig QUICKSTART =
            ConfigLoader.load(Path.of("..", "configs", "quickstart.yaml"), List.of()).model();
    private static final MachineKey KEY = MachineKey.of("model name\t: Test CPU\nflags\t\t: avx2\n", "2.7.1");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T20:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path folder;

    private final List<List<ConvShape>> runs = new ArrayList<>();

    /** A check whose child reports {@code error} for shapes reading 1 channel and 1e-7 for the others. */
    private CpuCheck check(double error) {
        return new CpuCheck(folder, KEY, shapes -> {
            runs.add(shapes);
            return shapes.stream().map(shape -> shape.inChannels() == 1
                    ? new CheckedShape(shape.label(), error, 1e-7, 1e-7, 0)
                    : new CheckedShape(shape.label(), 1e-7, 1e-7, 1e-7, 0)).toList();
        }, CLOCK);
    }

    @Test
    void everyShapeMatchingRunsUncappedAndTheSecondTimeFromTheCache() {
        IsaChoice first = OneDnnIsa.choose(QUICKSTART, GRAYSCALE, null, check(1e-7), true);
        IsaChoice second = OneDnnIsa.choose(QUICKSTART, GRAYSCALE, null, check(1e-7), true);

        assertEquals("ALL", first.value());
        assertTrue(first.reason().matches("checked on this CPU: 2 convolution shapes match float64 channels-last"
                + " \\(checked in \\d+\\.\\d s\\)"), first.reason());
        assertTrue(first.channelsLast(), "verified channels-last, so run channels-last");
        assertEquals(new IsaChoice("ALL",
                "checked on this CPU: 2 convolution shapes match float64 channels-last (cached, 2026-12-06)", true),
                second);
        assertEquals(1, runs.size());
    }

    @Test
    void aShapeOffFloat64CapsTheModelAndIsNamed() {
        assertEquals(new IsaChoice("AVX2", "checked on this CPU: conv 1 -> 24 (3x3, stride 1) differs from float64 by"
                + " 3.0e-01 under ALL channels-last; running NCHW", false),
                OneDnnIsa.choose(QUICKSTART, GRAYSCALE, null, check(0.3), true));
    }

    @Test
    void aChildThatFailsLeavesTheChannelRuleWithTheReason() {
        CpuCheck failing = new CpuCheck(folder, KEY, shapes -> {
            throw new IOException("the check's JVM exited with 134");
        }, CLOCK);

        assertEquals(new IsaChoice("AVX2", "conv 1 -> 24 (3x3, stride 1): input channels not a multiple of 16 (the"
                + " check on this CPU did not run: the check's JVM exited with 134)"),
                OneDnnIsa.choose(QUICKSTART, GRAYSCALE, null, failing, true));
    }

    @Test
    void withoutACachedVerdictEvaluationKeepsTheChannelRuleAndRunsNothing() {
        IsaChoice before = OneDnnIsa.choose(QUICKSTART, GRAYSCALE, null, check(1e-7), false);
        OneDnnIsa.choose(QUICKSTART, GRAYSCALE, null, check(1e-7), true);
        IsaChoice after = OneDnnIsa.choose(QUICKSTART, GRAYSCALE, null, check(1e-7), false);

        assertEquals(IsaChoice.forModel(QUICKSTART, GRAYSCALE, null), before);
        assertEquals("ALL", after.value());
        assertEquals(1, runs.size());
    }

    @Test
    void theEnvironmentAndModelsWithoutKnownConvolutionsRunNoCheck() {
        ModelConfig mlp = ConfigLoader.fromYaml("test.yaml", "model: {arch: mlp, hidden: [256]}\n", List.of()).model();

        assertEquals(new IsaChoice("AVX2", "set in the environment"),
                OneDnnIsa.choose(QUICKSTART, GRAYSCALE, "AVX2", check(1e-7), true));
        assertEquals(new IsaChoice("ALL", "no convolution"), OneDnnIsa.choose(mlp, GRAYSCALE, null, check(1e-7), true));
        assertEquals(List.of(), runs);
    }

    @Test
    void onAGpuTheConvolutionsStayNchw() {
        IsaChoice verified = new IsaChoice("ALL", "checked on this CPU", true);
        boolean before = ChannelsLast.enabled();
        try {
            ChannelsLast.setEnabled(true);
            assertEquals(verified, OneDnnIsa.forDevice(verified, Device.cpu()));
            assertTrue(ChannelsLast.enabled());
            assertEquals(new IsaChoice("ALL", "checked on this CPU", false), OneDnnIsa.forDevice(verified, Device.gpu()));
            assertFalse(ChannelsLast.enabled());
        } finally {
            ChannelsLast.setEnabled(before);
        }
    }
}
