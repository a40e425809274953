package dev.keel.trainer.track;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One GPU of the machine a run started on, as provenance records it; a part nvidia-smi or the
 * CUDA runtime did not report is null.
 *
 * @param index its number: nvidia-smi's, which is the machine's (CUDA_VISIBLE_DEVICES can renumber
 *     what a process sees), or the CUDA runtime's when nvidia-smi is missing
 * @param name the product name, such as "NVIDIA H200" (nvidia-smi)
 * @param memoryMib its memory in MiB (nvidia-smi)
 * @param driverVersion the NVIDIA driver's version (nvidia-smi)
 * @param computeCapability such as "9.0" (the CUDA runtime, when nvidia-smi is missing)
 */
public record Gpu(int index, String name, Long memoryMib, String driverVersion, String computeCapability) {
    /** As provenance.json holds it. */
    ObjectNode toJson() {
        ObjectNode json = RunDirectory.JSON.createObjectNode();
        json.put("index", index);
        json.put("name", name);
        json.put("memory_mib", memoryMib);
        json.put("driver_version", driverVersion);
        json.put("compute_capability", computeCapability);
        return json;
    }
}
