package dev.keel.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.keel.trainer.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The device a config asks for, on machines with no GPU and with two. */
class DeviceChoiceTest {

    @Test
    void autoTakesTheFirstGpuWhenThereIsOneAndTheCpuOtherwise() {
        assertEquals(Device.cpu(), DeviceChoice.resolve("auto", "run.yaml", 0));
        assertEquals(Device.gpu(0), DeviceChoice.resolve("auto", "run.yaml", 2));
        assertEquals(Device.cpu(), DeviceChoice.resolve("cpu", "run.yaml", 2));
    }

    @Test
    void gpuAndGpuNNameAGpuThatExists() {
        assertEquals(Device.gpu(0), DeviceChoice.resolve("gpu", "run.yaml", 2));
        assertEquals(Device.gpu(1), DeviceChoice.resolve("gpu:1", "run.yaml", 2));
    }

    @Test
    void aGpuThatIsNotThereIsAConfigErrorNamingTheFileAndKey() {
        ConfigException none = assertThrows(ConfigException.class, () -> DeviceChoice.resolve("gpu", "run.yaml", 0));
        assertTrue(none.getMessage().startsWith("run.yaml: device: "), none.getMessage());
        assertTrue(none.getMessage().contains("no GPU that PyTorch can use"), none.getMessage());
        ConfigException beyond = assertThrows(ConfigException.class,
                () -> DeviceChoice.resolve("gpu:2", "run.yaml", 2));
        assertTrue(beyond.getMessage().contains("a GPU index below 2"), beyond.getMessage());
        ConfigException huge = assertThrows(ConfigException.class,
                () -> DeviceChoice.resolve("gpu:99999999999", "run.yaml", 2));
        assertTrue(huge.getMessage().contains("a GPU index below 2"), huge.getMessage());
    }
}
