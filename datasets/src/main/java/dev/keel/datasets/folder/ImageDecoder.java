package dev.keel.datasets.folder;

import dev.keel.serving.image.ImageConversion;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes one image file (PNG, JPEG, BMP, GIF, and the CMYK and YCCK JPEGs that TwelveMonkeys'
 * ImageIO plugin adds) into unsigned bytes, channel-major, at a square size, as
 * {@link ImageConversion} converts a decoded image.
 */
public final class ImageDecoder {
    /**
     * A decoded image, or why there is none.
     *
     * @param pixels {@code channels x size x size} bytes, or null when the file is unusable
     * @param problemKind {@code empty_file}, {@code not_an_image} or {@code unreadable} when unusable
     * @param problem what is wrong, in words
     * @param colour whether the file holds colour (it may be converted to grayscale)
     * @param width the file's width in pixels
     * @param height the file's height in pixels
     */
    public record Decoded(byte[] pixels, String problemKind, String problem, boolean colour, int width, int height) {
        static Decoded failed(String kind, String problem) {
            return new Decoded(null, kind, problem, false, 0, 0);
        }
    }

    static {
        ImageIO.setUseCache(false); // decode in memory, not through temporary files
    }

    private ImageDecoder() {}

    /** Decodes {@code file} to {@code channels} (1 or 3) planes of {@code size x size}. */
    public static Decoded decode(Path file, int channels, int size) {
        try {
            return decode(Files.readAllBytes(file), channels, size);
        } catch (IOException e) {
            return unreadable(e);
        }
    }

    /** Decodes a file's {@code bytes} to {@code channels} (1 or 3) planes of {@code size x size}. */
    public static Decoded decode(byte[] bytes, int channels, int size) {
        if (bytes.length == 0) {
            return Decoded.failed("empty_file", "the file is empty (0 bytes)");
        }
        BufferedImage image;
        try {
            image = read(bytes);
        } catch (IOException | RuntimeException e) {
            return unreadable(e);
        }
        if (image == null) {
            return Decoded.failed("not_an_image", "not an image ImageIO can read (PNG, JPEG, BMP or GIF)");
        }
        boolean colour = image.getColorModel().getNumColorComponents() > 1;
        byte[] pixels = ImageConversion.toPixels(image, channels, size);
        return new Decoded(pixels, null, null, colour, image.getWidth(), image.getHeight());
    }

    private static Decoded unreadable(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return Decoded.failed("unreadable", "cannot be decoded (" + message + "): truncated or corrupt");
    }

    /** Reads with the first reader that accepts the bytes; a reader's warning of a cut-off file is an error. */
    private static BufferedImage read(byte[] bytes) throws IOException {
        try (InputStream in = new ByteArrayInputStream(bytes);
                ImageInputStream stream = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                String[] warning = new String[1];
                reader.addIIOReadWarningListener((source, message) -> warning[0] = message);
                BufferedImage image = reader.read(0);
                if (warning[0] != null && warning[0].toLowerCase(java.util.Locale.ROOT).contains("premature")) {
                    throw new IOException(warning[0]);
                }
                return image;
            } finally {
                reader.dispose();
            }
        }
    }
}
