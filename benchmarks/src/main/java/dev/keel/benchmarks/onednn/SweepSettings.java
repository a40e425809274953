package dev.keel.benchmarks.onednn;

import java.util.List;

/** The sweep's options, as the report restates them. */
record SweepSettings(List<String> isas, String baseline, String inChannels, String outChannels,
        List<SweepGrid.Kind> kinds, int size, int batch, boolean keelNetworks, String configs,
        List<Integer> resnetDepths, int repeats, double tolerance, long seed, String layout) {}
