package dev.keel.drift;

import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.drift.image.ImageDrift;
import dev.keel.trainer.api.Keel;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.data.DataPreparation;
import dev.keel.trainer.data.PreparedData;
import dev.keel.trainer.run.RunOutcome;
import dev.keel.trainer.session.RunOptions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * Small data and finished runs for drift tests: images of the bundled Fashion-MNIST sample as PNG
 * folders, a two-class table, and runs trained on them in a second or two.
 */
public final class DriftFixtures {
    private static final String SAMPLE = "/dev/keel/datasets/fashion-mnist-sample/";
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private DriftFixtures() {}

    /** The sample's images of one split ({@code train} or {@code t10k}): 28x28 grayscale bytes, and their labels. */
    public record Sample(byte[][] images, int[] labels) {}

    /** Reads the bundled sample's {@code train} or {@code t10k} images. */
    public static Sample sample(String split) throws IOException {
        byte[] images = gunzip(SAMPLE + split + "-images-idx3-ubyte.gz");
        byte[] labels = gunzip(SAMPLE + split + "-labels-idx1-ubyte.gz");
        int n = labels.length - 8;
        byte[][] pixels = new byte[n][];
        int[] classes = new int[n];
        for (int i = 0; i < n; i++) {
            pixels[i] = java.util.Arrays.copyOfRange(images, 16 + i * 784, 16 + (i + 1) * 784);
            classes[i] = labels[8 + i];
        }
        return new Sample(pixels, classes);
    }

    /**
     * Writes the first {@code perClass} images of each class of the sample's split as PNGs into
     * {@code folder/<split name>/class-k/}, each pixel passed through {@code pixel}.
     */
    public static Path classFolders(Path folder, Sample sample, int skip, int perClass, IntUnaryOperator pixel)
            throws IOException {
        int[] written = new int[10];
        int[] skipped = new int[10];
        for (int i = 0; i < sample.labels().length; i++) {
            int label = sample.labels()[i];
            if (skipped[label] < skip) {
                skipped[label]++;
                continue;
            }
            if (written[label] == perClass) {
                continue;
            }
            Path dir = Files.createDirectories(folder.resolve("class-" + label));
            writeGray(sample.images()[i], pixel, dir.resolve(String.format(Locale.ROOT, "%05d.png", i)));
            written[label]++;
        }
        return folder;
    }

    /** An image-folder dataset: {@code train/} and {@code test/} of {@code perClass} images per class. */
    public static Path imageDataset(Path folder, int perClass) throws IOException {
        classFolders(folder.resolve("train"), sample("train"), 0, perClass, p -> p);
        classFolders(folder.resolve("test"), sample("t10k"), 0, Math.max(2, perClass / 4), p -> p);
        return folder;
    }

    /** Writes a 28x28 grayscale image, each pixel passed through {@code pixel}. */
    public static void writeGray(byte[] image, IntUnaryOperator pixel, Path file) throws IOException {
        BufferedImage png = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        byte[] changed = new byte[image.length];
        for (int p = 0; p < image.length; p++) {
            changed[p] = (byte) Math.max(0, Math.min(255, pixel.applyAsInt(image[p] & 0xff)));
        }
        png.getRaster().setDataElements(0, 0, 28, 28, changed);
        ImageIO.write(png, "png", file.toFile());
    }

    /** A CSV table {@code x1,x2,label}: {@code yes} when {@code x1 + x2 > 1}, a tenth flipped. */
    public static Path table(Path file, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < rows; i++) {
            double x1 = random.nextDouble();
            double x2 = random.nextDouble();
            boolean yes = (x1 + x2 > 1) != (random.nextDouble() < 0.1);
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", x1, x2, yes ? "yes" : "no"));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, csv.toString());
    }

    /**
     * Trains {@code model} (a YAML flow mapping, such as {@code {arch: cnn, channels: [4], hidden: [8]}})
     * on {@code data} (a flow mapping of the data section) for {@code epochs} into {@code runDir}.
     */
    public static Path train(Path runDir, String data, String model, int epochs, String extra) throws IOException {
        Path config = Files.writeString(runDir.resolveSibling(runDir.getFileName() + ".yaml"), """
                name: drift-fixture
                seed: 3
                device: cpu
                data: %s
                model: %s
                train: {epochs: %d}
                """.formatted(data, model, epochs) + extra);
        RunOutcome outcome = Keel.train(config, List.of(), RunOptions.defaults().withRunDir(runDir).withOut(QUIET,
                false));
        if (outcome.exitCode() != 0) {
            throw new AssertionError("the fixture run did not finish: exit code " + outcome.exitCode());
        }
        return runDir;
    }

    /** The run's data rebuilt as its training built it (augmentation off), from its config.yaml. */
    public static PreparedData prepared(Path runDir) {
        RunConfig config = ConfigLoader.load(runDir.resolve("config.yaml"), List.of());
        return DataPreparation.prepare(ImageDrift.referenceData(config.data()), config.seed(), new DatasetResolver(),
                QUIET, false);
    }

    private static byte[] gunzip(String resource) throws IOException {
        try (InputStream in = new GZIPInputStream(DriftFixtures.class.getResourceAsStream(resource))) {
            return in.readAllBytes();
        }
    }

    /** Copies the folder {@code from} with everything under it to {@code to}; gives {@code to}. */
    public static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return to;
    }
}
