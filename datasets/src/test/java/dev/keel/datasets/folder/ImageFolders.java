package dev.keel.datasets.folder;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Small image folders that tests write themselves: clean ones, and one broken file of every kind. */
public final class ImageFolders {
    private ImageFolders() {}

    /** An image of {@code size x size} in {@code format}: a class-dependent pattern, varied by {@code seed}. */
    public static byte[] image(String format, int size, int label, int seed, boolean colour) {
        BufferedImage image = new BufferedImage(size, size, colour ? BufferedImage.TYPE_INT_RGB
                : BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, size, size);
        g.setColor(colour ? new Color(200, 40 + seed % 100, 30) : Color.WHITE);
        // Class 0: a horizontal bar; class 1: a vertical bar; shifted by the seed.
        int offset = seed % Math.max(1, size / 4);
        if (label == 0) {
            g.fillRect(0, size / 4 + offset, size, size / 4);
        } else {
            g.fillRect(size / 4 + offset, 0, size / 4, size);
        }
        g.dispose();
        // A pixel of its own, so that no two images of a fixture are identical by accident.
        image.setRGB(size - 1, size - 1, new Color(seed % 256, seed / 256 % 256, 77).getRGB());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@code perClass} clean PNGs of each of the classes {@code a} and {@code b} under {@code root/split}. */
    public static Path clean(Path root, String split, int perClass, int size) {
        try {
            for (int label = 0; label < 2; label++) {
                Path folder = Files.createDirectories(root.resolve(split).resolve(label == 0 ? "a" : "b"));
                for (int i = 0; i < perClass; i++) {
                    Files.write(folder.resolve(String.format("%s-%03d.png", split, i)),
                            image("png", size, label, i + (split.equals("train") ? 0 : 1000), false));
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first half of a valid PNG: a file cut off by a failed copy. */
    public static byte[] truncated(int size) {
        byte[] whole = image("png", size, 0, 7, false);
        return Arrays.copyOf(whole, whole.length / 2);
    }
}
