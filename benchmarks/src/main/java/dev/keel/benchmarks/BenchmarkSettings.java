package dev.keel.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings every Keel benchmark shares, which JMH reads through the class hierarchy; a
 * benchmark annotates only what it does differently. Chosen for a 2-core machine: one fork, 3
 * warm-up iterations of 5 s (the JIT needs seconds), 5 measured iterations of 5 s, one benchmark
 * thread (libtorch runs its own intra-op threads), milliseconds per operation. The forks run
 * offline, with DJL's engine and CUDA probing logs quiet.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {
    "-Dai.djl.offline=true",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
    "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=off"})
public abstract class BenchmarkSettings {}
