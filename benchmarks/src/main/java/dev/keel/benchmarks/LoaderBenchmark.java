package dev.keel.benchmarks;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import dev.keel.datasets.BatchBuffer;
import dev.keel.datasets.EpochOrder;
import dev.keel.datasets.ImageDataset;
import dev.keel.datasets.ImageStatistics;
import dev.keel.datasets.LabeledImages;
import dev.keel.datasets.augment.Augmentation;
import dev.keel.datasets.check.DataReport;
import dev.keel.datasets.folder.ImageFolder;
import dev.keel.datasets.table.TableOptions;
import dev.keel.datasets.table.Tables;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * How fast Keel's loaders feed the loop, in items per second on every core the machine has (the
 * decoding pool and the augmentation's parallel streams use them all), to set beside the training
 * step's samples per second ({@code KeelStepBenchmark} at batch 128: multiply 128 by 1000 / its
 * ms per step):
 * <ul>
 *   <li>{@code decodeImageFolder}: an image folder of 2,000 Fashion-MNIST PNGs (from the bundled
 *       sample) read, checked (content hashes included) and decoded into memory, what a run does
 *       once before its first epoch;
 *   <li>{@code augmentedBatches}: batches of 128 of those images augmented (flip, random resized
 *       crop, rotation, brightness and contrast) and normalised into the loop's reused buffer, with
 *       the next batch prepared in the background as in training, what every epoch does;
 *   <li>{@code readTable}: a CSV table of 20,000 rows (8 numeric and 2 categorical columns, 2% of
 *       the values missing) parsed, checked, split, and encoded by the fitted transform.
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LoaderBenchmark extends BenchmarkSettings {
    private static final int FOLDER_IMAGES = 2_000;
    private static final int BATCH = 128;
    private static final int BATCHES = 15;
    private static final int TABLE_ROWS = 20_000;

    private Path work;
    private Path folder;
    private Path table;
    private ImageDataset augmented;
    private BatchBuffer buffer;
    private NDManager manager;
    private int epoch;

    @Setup(Level.Trial)
    public void write() throws IOException {
        work = Files.createTempDirectory("keel-loader-benchmark");
        LabeledImages sample = Fixtures.fashionMnistSample();
        folder = work.resolve("folder");
        for (int i = 0; i < FOLDER_IMAGES; i++) {
            Path dir = Files.createDirectories(folder.resolve("train").resolve("class-" + sample.label(i)));
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            image.getRaster().setDataElements(0, 0, 28, 28,
                    java.util.Arrays.copyOfRange(sample.pixels(), i * 784, (i + 1) * 784));
            ImageIO.write(image, "png", dir.resolve(String.format("%05d.png", i)).toFile());
        }
        table = work.resolve("table.csv");
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder csv = new StringBuilder("n1,n2,n3,n4,n5,n6,n7,n8,city,plan,label\n");
        for (int row = 0; row < TABLE_ROWS; row++) {
            for (int c = 0; c < 8; c++) {
                csv.append(random.nextInt(50) == 0 ? "" : String.format(Locale.ROOT, "%.4f", random.nextDouble() * 100))
                        .append(',');
            }
            csv.append("city").append(random.nextInt(20)).append(',').append(random.nextBoolean() ? "basic" : "pro")
                    .append(',').append(random.nextInt(3)).append('\n');
        }
        Files.writeString(table, csv.toString());

        LabeledImages images = ImageFolder.read(folder, 1, 28, false, true, new DataReport("benchmark"), null).splits()
                .get("train");
        int[] all = IntStream.range(0, images.count()).toArray();
        augmented = ImageDataset.builder(images).normalization(ImageStatistics.fit(images, all))
                .augmentation(new Augmentation(0.5, 0.6, 10, 0.1, 0.1), Fixtures.SEED).build();
        buffer = augmented.newBuffer(BATCH);
        manager = NDManager.newBaseManager();
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        manager.close();
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Images per second: a folder read, checked and decoded. */
    @Benchmark
    @OperationsPerInvocation(FOLDER_IMAGES)
    public int decodeImageFolder() {
        return ImageFolder.read(folder, 1, 28, false, true, new DataReport("benchmark"), null).splits().get("train").count();
    }

    /** Images per second: {@value #BATCHES} augmented batches of {@value #BATCH} in a new epoch's order. */
    @Benchmark
    @OperationsPerInvocation(BATCHES * BATCH)
    public long augmentedBatches() {
        int[] order = EpochOrder.of(augmented.itemCount(), Fixtures.SEED, epoch++);
        long items = 0;
        for (int b = 0; b < BATCHES; b++) {
            try (NDManager scope = manager.newSubManager()) {
                Batch batch = augmented.batch(scope, order, b * BATCH, (b + 1) * BATCH, epoch, buffer);
                items += batch.getSize();
            }
        }
        return items;
    }

    /** Rows per second: a table parsed, checked, split and encoded. */
    @Benchmark
    @OperationsPerInvocation(TABLE_ROWS)
    public int readTable() {
        return Tables.load(table, new TableOptions("label", ',', Map.of(), false, 0.1, 0.2, Fixtures.SEED),
                new DataReport("benchmark")).train().itemCount();
    }
}
