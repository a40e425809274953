/**
 * Which of oneDNN's CPU convolution kernels give the right numbers: {@link
 * dev.keel.benchmarks.onednn.ConvolutionIsaSweep} runs a grid of convolutions and every convolution
 * Keel's networks contain through DJL's PyTorch engine once per {@code ONEDNN_MAX_CPU_ISA}, each in
 * its own JVM, and compares the outputs and gradients with a float64 reference and with each other.
 */
package dev.keel.benchmarks.onednn;
