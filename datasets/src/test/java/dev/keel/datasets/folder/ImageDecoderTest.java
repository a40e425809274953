package dev.keel.datasets.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
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

    @Test
    void progressiveJpeg() throws IOException {
        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(20, 20, 0, 255);
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
        ImageDecoder.Decoded decoded = ImageDecoder.decode(file, 1, 32);
        assertNotNull(decoded.pixels(), decoded.problem());
        assertEquals(32 * 32, decoded.pixels().length);
    }

    /** Four-channel JPEG data (CMYK), which the JDK's reader refuses and TwelveMonkeys' plugin reads. */
    @Test
    void cmykJpeg() throws IOException {
        WritableRaster raster = Raster.createBandedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        for (int x = 0; x < 16; x++) {
            for (int y = 0; y < 16; y++) {
                raster.setSample(x, y, 0, x < 8 ? 0 : 200); // cyan ink on the right half
            }
        }
        Path file = temp.resolve("cmyk.jpg");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        ImageDecoder.Decoded decoded = ImageDecoder.decode(file, 3, 16);
        assertNotNull(decoded.pixels(), decoded.problem());
        assertEquals(3 * 16 * 16, decoded.pixels().length);
    }
}
