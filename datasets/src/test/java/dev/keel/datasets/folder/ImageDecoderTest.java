package dev.keel.datasets.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files the JDK's ImageIO alone handles badly or not at all. */
class ImageDecoderTest {
    /** How far a JPEG's pixel may land from the value written, in flat areas at the default quality. */
    private static final int JPEG_ERROR = 8;

    @TempDir
    Path temp;

    @Test
    void sixteenBitGrayPng() throws IOException {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster raster = image.getRaster();
        for (int x = 0; x < 8; x++) {
            for (int y = 0; y < 8; y++) {
                raster.setSample(x, y, 0, x < 4 ? 0 : 65535);
            }
        }
        Path file = temp.resolve("deep.png");
        ImageIO.write(image, "png", file.toFile());
        ImageDecoder.Decoded decoded = ImageDecoder.decode(file, 1, 8);
        assertNotNull(decoded.pixels(), decoded.problem());
        assertTrue((decoded.pixels()[1] & 0xff) < 10 && (decoded.pixels()[6] & 0xff) > 245);
    }

    /** A white 8x8 block, on JPEG's own 8x8 grid, on black: its pixels come back within JPEG's error. */
    @Test
    void progressiveJpeg() throws IOException {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 16; x < 24; x++) {
            for (int y = 8; y < 16; y++) {
                image.getRaster().setSample(x, y, 0, 255);
            }
        }
        Path file = temp.resolve("progressive.jpg");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        assertTrue(hasMarker(Files.readAllBytes(file), 0xC2), "the file is progressive (SOF2)");

        ImageDecoder.Decoded decoded = ImageDecoder.decode(file, 1, 32);
        assertNotNull(decoded.pixels(), decoded.problem());
        assertEquals(32 * 32, decoded.pixels().length);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                boolean white = x >= 16 && x < 24 && y >= 8 && y < 16;
                assertEquals(white ? 255 : 0, decoded.pixels()[y * 32 + x] & 0xff, JPEG_ERROR, "pixel " + x + "," + y);
            }
        }
    }

    /**
     * Four-channel JPEG data (CMYK) as Photoshop writes it, with an Adobe APP14 marker and inverted
     * ink (255 is none), which TwelveMonkeys' ImageIO plugin reads. No ink on the left half, 200 of
     * 255 cyan on the right: white, and cyan (red 255 - 200, full green and blue).
     */
    @Test
    void cmykJpeg() throws IOException {
        WritableRaster raster = Raster.createBandedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        for (int x = 0; x < 16; x++) {
            for (int y = 0; y < 16; y++) {
                for (int ink = 0; ink < 4; ink++) {
                    raster.setSample(x, y, ink, 255);
                }
                raster.setSample(x, y, 0, x < 8 ? 255 : 255 - 200); // cyan ink on the right half
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        Path file = Files.write(temp.resolve("cmyk.jpg"), withAdobeMarker(bytes.toByteArray()));

        ImageDecoder.Decoded decoded = ImageDecoder.decode(file, 3, 16);
        assertNotNull(decoded.pixels(), decoded.problem());
        assertEquals(3 * 16 * 16, decoded.pixels().length);
        assertTrue(decoded.colour());
        int plane = 16 * 16;
        for (int y = 0; y < 16; y++) {
            for (int x : new int[] {0, 5, 10, 15}) { // away from the edge at 8, where the JPEG rings
                int[] expected = x < 8 ? new int[] {255, 255, 255} : new int[] {55, 255, 255};
                for (int c = 0; c < 3; c++) {
                    assertEquals(expected[c], decoded.pixels()[c * plane + y * 16 + x] & 0xff, JPEG_ERROR,
                            "channel " + c + " of pixel " + x + "," + y);
                }
            }
        }
        ImageDecoder.Decoded gray = ImageDecoder.decode(file, 1, 16);
        assertEquals(255, gray.pixels()[5 * 16 + 2] & 0xff, JPEG_ERROR, "white");
        assertEquals(195, gray.pixels()[5 * 16 + 12] & 0xff, JPEG_ERROR, "luma of (55, 255, 255)");
    }

    /**
     * The JPEG with an Adobe APP14 segment after its start marker: version 100, no flags, transform
     * 0 (four channels stored as they are, CMYK).
     */
    private static byte[] withAdobeMarker(byte[] jpeg) {
        byte[] app14 = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] marked = new byte[jpeg.length + app14.length];
        System.arraycopy(jpeg, 0, marked, 0, 2);
        System.arraycopy(app14, 0, marked, 2, app14.length);
        System.arraycopy(jpeg, 2, marked, 2 + app14.length, jpeg.length - 2);
        return marked;
    }

    private static boolean hasMarker(byte[] jpeg, int marker) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == marker) {
                return true;
            }
        }
        return false;
    }
}
