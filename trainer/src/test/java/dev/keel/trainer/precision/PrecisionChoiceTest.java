package dev.keel.trainer.precision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.TrainConfig;
import dev.keel.trainer.fit.StepPrecision;
import dev.keel.trainer.metrics.EventSink;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PrecisionChoiceTest {
    private static final TrainConfig FP16 = new TrainConfig(1, 1, 1, TrainConfig.FP16, 1024);
    private static final TrainConfig FP32 = new TrainConfig(1, 1);

    @Test
    void aFloat32RunNeedsNothing() {
        assertEquals(Optional.empty(), PrecisionChoice.check(FP32, Device.cpu(), "body.pt", "run.yaml", null));
        assertEquals(Optional.empty(), PrecisionChoice.lossScaler(FP32, EventSink.NONE));
        assertSame(StepPrecision.FLOAT32, PrecisionChoice.step(Optional.empty(), new PairList<String, Parameter>()));
    }

    @Test
    void fp16RunsOnAGpuWithItsLossScale() {
        assertEquals(Optional.of("precision: fp16 · float16 forward and backward, float32 master weights and optimizer"
                + " state, dynamic loss scale from 1024"), PrecisionChoice.check(FP16, Device.gpu(), null, "run.yaml", null));
        LossScaler scaler = PrecisionChoice.lossScaler(FP16, EventSink.NONE).orElseThrow();
        assertEquals(1024, scaler.scale());
        assertTrue(PrecisionChoice.step(Optional.of(scaler), new PairList<>()) instanceof HalfPrecisionStep);
    }

    @Test
    void onACpuOnlyWhenForcedAndSaidSo() {
        ConfigException refused = assertThrows(ConfigException.class,
                () -> PrecisionChoice.check(FP16, Device.cpu(), null, "run.yaml", null));
        assertTrue(refused.getMessage().startsWith("run.yaml: train.precision: found \"fp16\", expected fp32 on a CPU"),
                refused.getMessage());
        assertThrows(ConfigException.class, () -> PrecisionChoice.check(FP16, Device.cpu(), null, "run.yaml", "yes"));
        assertTrue(PrecisionChoice.check(FP16, Device.cpu(), null, "run.yaml", "1").orElseThrow()
                .endsWith("on the CPU because KEEL_FP16_ON_CPU=1: a check of the arithmetic, float16 is far slower"
                        + " than float32 here"));
    }

    @Test
    void neverWithATorchScriptBody() {
        ConfigException refused = assertThrows(ConfigException.class,
                () -> PrecisionChoice.check(FP16, Device.gpu(), "body.pt", "run.yaml", null));
        assertTrue(refused.getMessage().contains("expected fp32 with a TorchScript body (model.pretrained: body.pt)"),
                refused.getMessage());
    }
}
