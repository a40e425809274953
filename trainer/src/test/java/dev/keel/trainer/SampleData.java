package dev.keel.trainer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The bundled Fashion-MNIST sample as a folder of IDX files, for tests that train through data.path. */
public final class SampleData {
    private static final String SAMPLE = "/dev/keel/datasets/fashion-mnist-sample/";

    private SampleData() {}

    /** Copies the sample's four files into {@code folder} and returns it. */
    public static Path copyTo(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (String name : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            try (InputStream in = SampleData.class.getResourceAsStream(SAMPLE + name)) {
                Files.copy(in, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return folder;
    }

    /**
     * Writes the first {@code perClass} images of each class of the sample's training and test
     * files as PNGs into {@code folder/train/<class>/} and {@code folder/test/<class>/}.
     */
    public static Path imageFolder(Path folder, int perClass) throws IOException {
        for (String[] split : new String[][] {{"train", "train"}, {"test", "t10k"}}) {
            byte[] images = gunzip(SAMPLE + split[1] + "-images-idx3-ubyte.gz");
            byte[] labels = gunzip(SAMPLE + split[1] + "-labels-idx1-ubyte.gz");
            int[] written = new int[10];
            for (int i = 0; i < labels.length - 8; i++) {
                int label = labels[8 + i];
                if (written[label] == perClass) {
                    continue;
                }
                java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(28, 28,
                        java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
                image.getRaster().setDataElements(0, 0, 28, 28, java.util.Arrays.copyOfRange(images, 16 + i * 784,
                        16 + (i + 1) * 784));
                Path dir = Files.createDirectories(folder.resolve(split[0]).resolve("class-" + label));
                javax.imageio.ImageIO.write(image, "png", dir.resolve(String.format("%05d.png", i)).toFile());
                written[label]++;
            }
        }
        return folder;
    }

    private static byte[] gunzip(String resource) throws IOException {
        try (InputStream in = new java.util.zip.GZIPInputStream(SampleData.class.getResourceAsStream(resource))) {
            return in.readAllBytes();
        }
    }
}
