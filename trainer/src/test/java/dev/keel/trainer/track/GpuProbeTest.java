package dev.keel.trainer.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GpuProbeTest {
    @Test
    void readsEachGpuNvidiaSmiLists() {
        List<Gpu> gpus = GpuProbe.parseNvidiaSmi("""
                0, NVIDIA H200, 143771 MiB, 550.54.15
                1, NVIDIA GeForce RTX 4090, 24564 MiB, 550.54.15
                """);

        assertEquals(List.of(new Gpu(0, "NVIDIA H200", 143771L, "550.54.15", null),
                new Gpu(1, "NVIDIA GeForce RTX 4090", 24564L, "550.54.15", null)), gpus);
    }

    @Test
    void aDriverThatCannotAnswerListsNoGpu() {
        assertTrue(GpuProbe.parseNvidiaSmi(null).isEmpty(), "nvidia-smi missing or failed");
        assertTrue(GpuProbe.parseNvidiaSmi("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA"
                + " driver. Make sure that the latest NVIDIA driver is installed and running.").isEmpty());
        assertTrue(GpuProbe.parseNvidiaSmi("0, NVIDIA H200, [N/A], 550.54.15").isEmpty());
    }

    @Test
    void provenanceOfAGpuMachine() {
        ObjectNode json = RunDirectory.JSON.createObjectNode();
        Provenance.putGpus(json, List.of(new Gpu(0, "NVIDIA H200", 143771L, "550.54.15", null)), "12.4");

        assertEquals("NVIDIA H200", json.at("/gpus/0/name").asText());
        assertEquals(143771, json.at("/gpus/0/memory_mib").asLong());
        assertEquals("550.54.15", json.at("/gpus/0/driver_version").asText());
        assertEquals("12.4", json.get("cuda_version").asText());
    }

    @Test
    void aCpuOnlyMachineRecordsNoGpuAndDoesNotThrow() {
        assumeTrue(CommandOutput.of(Path.of(""), "nvidia-smi", "-L") == null, "this machine has an NVIDIA driver");

        assertTrue(GpuProbe.gpus().isEmpty());
        assertEquals(null, GpuProbe.cudaVersion());
        ObjectNode provenance = Provenance.of(List.of("train", "x.yaml"), 1, Device.cpu(),
                RunDirectory.JSON.createObjectNode());
        assertTrue(provenance.get("gpus").isNull(), provenance.toString());
        assertTrue(provenance.get("cuda_version").isNull(), provenance.toString());
    }
}
