package dev.keel.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import dev.keel.datasets.BatchBuffer;
import dev.keel.datasets.EpochOrder;
import dev.keel.datasets.ImageDataset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Training batches per second from {@code ImageDataset.batch}, as Keel's loop reads them: the
 * 10,000 training images of the bundled Fashion-MNIST sample (IDX files decoded into memory once),
 * in a seeded shuffled order, each batch normalised straight into native memory and wrapped as
 * arrays in a per-batch {@code NDManager} scope on the device (on a GPU that includes the copy to
 * it). {@code memory=reused} writes every batch into one {@link BatchBuffer}, as Keel's loop does;
 * {@code fresh} allocates new memory per batch, as a loop over DJL datasets does.
 * Multiply by {@code batchSize} for images per second.
 *
 * <p>{@code cache=warm} assembles batch after batch, so the images and the buffer stay in the CPU's
 * caches; {@code cold} evicts the caches before every batch (a 64 MB sweep, outside the timing), as
 * a training step does between two batches: on a small model the step's weights, gradients and
 * optimizer state push the images and the buffer out, so that a batch costs about twice what the
 * warm loop says (JMH times each invocation on its own here, which adds a few microseconds).
 *
 * <p>Augmented batches, image folders and tables are measured by {@link LoaderBenchmark}.
 *
 * <p>Settings as in {@link KeelStepBenchmark}, except that the score is a throughput.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DataLoadingBenchmark extends BenchmarkSettings {
    private static final int SAMPLE_IMAGES = 10_000;
    /** Larger than the last-level cache of current server CPUs' core complexes. */
    private static final int EVICTION_BYTES = 64 << 20;
    private static final int CACHE_LINE = 64;

    /** Images per batch. */
    @Param({"32", "128", "256"})
    public int batchSize;

    /** reused: one {@link BatchBuffer} for every batch; fresh: new native memory per batch. */
    @Param({"reused", "fresh"})
    public String memory;

    /** warm: batches back to back; cold: the CPU caches evicted before every batch. */
    @Param({"warm", "cold"})
    public String cache;

    /** cpu or gpu: where the batch's arrays are created. */
    @Param({Fixtures.CPU, Fixtures.GPU})
    public String device;

    private ImageDataset data;
    private NDManager manager;
    private int epoch;
    private int[] order;
    private int cursor;
    private BatchBuffer buffer;
    private byte[] evictor;

    /** Reads the bundled sample and orders its first epoch. */
    @Setup(Level.Trial)
    public void setUp() {
        data = Fixtures.sampleDataset(SAMPLE_IMAGES);
        manager = NDManager.newBaseManager(Fixtures.device(device));
        order = EpochOrder.of(data.itemCount(), Fixtures.SEED, epoch);
        buffer = switch (memory) {
            case "reused" -> new BatchBuffer(batchSize, data.images().imageSize());
            case "fresh" -> null;
            default -> throw new IllegalArgumentException("memory: \"" + memory + "\" is not one of reused, fresh");
        };
        evictor = switch (cache) {
            case "warm" -> null;
            case "cold" -> new byte[EVICTION_BYTES];
            default -> throw new IllegalArgumentException("cache: \"" + cache + "\" is not one of warm, cold");
        };
    }

    /** With {@code cache=cold}, writes one byte of every cache line of a buffer larger than the caches. */
    @Setup(Level.Invocation)
    public void evictCaches() {
        if (evictor != null) {
            for (int i = 0; i < evictor.length; i += CACHE_LINE) {
                evictor[i]++;
            }
        }
    }

    /** The next batch of the epoch; a new shuffled epoch when this one has no full batch left. */
    @Benchmark
    public long batch() {
        if (cursor + batchSize > data.itemCount()) {
            epoch++;
            order = EpochOrder.of(data.itemCount(), Fixtures.SEED, epoch);
            cursor = 0;
        }
        try (NDManager scope = manager.newSubManager()) {
            Batch batch = buffer == null
                    ? data.batch(scope, order, cursor, cursor + batchSize)
                    : data.batch(scope, order, cursor, cursor + batchSize, buffer);
            cursor += batchSize;
            Fixtures.sync(batch.getLabels().singletonOrThrow());
            return batch.getSize();
        }
    }

    /** Frees the manager. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }
}
