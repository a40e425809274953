package dev.keel.benchmarks.onednn;

import dev.keel.trainer.isa.Discrepancy;
import java.util.List;

/**
 * What a child JVM reports besides its outputs.
 *
 * @param maxCpuIsa the {@code ONEDNN_MAX_CPU_ISA} it ran under
 * @param seconds how long the runs took, without the JVM's start and libtorch's loading
 * @param repeatDrift per convolution, how far the later repeats were from the first (the outputs
 *     written): a kernel that reads memory it never wrote gives different numbers on repeats
 */
record ChildSummary(String maxCpuIsa, String libtorchVersion, String djlVersion, int intraOpThreads,
        double seconds, List<Discrepancy> repeatDrift) {}
