package dev.keel.serving.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * A decoded image as a Keel model takes it: resized by squishing (the whole image, its aspect ratio
 * not kept, as fastai's {@code ResizeMethod.Squish}) with bicubic interpolation to a square, and
 * converted to grayscale (ITU-R 601 luma) or RGB, as unsigned bytes, channel-major.
 */
public final class ImageConversion {
    private ImageConversion() {}

    /**
     * The pixels of {@code image} at {@code size x size} in {@code channels} (1 or 3) planes.
     *
     * @return {@code channels x size x size} bytes, each channel's plane after the other
     */
    public static byte[] toPixels(BufferedImage image, int channels, int size) {
        int type = channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
        BufferedImage resized = new BufferedImage(size, size, type);
        Graphics2D g = resized.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, size, size, null);
        } finally {
            g.dispose();
        }
        byte[] raster = ((DataBufferByte) resized.getRaster().getDataBuffer()).getData();
        byte[] pixels = new byte[channels * size * size];
        int plane = size * size;
        if (channels == 1) {
            System.arraycopy(raster, 0, pixels, 0, plane);
        } else {
            for (int p = 0; p < plane; p++) { // interleaved BGR -> planar RGB
                pixels[p] = raster[3 * p + 2];
                pixels[plane + p] = raster[3 * p + 1];
                pixels[2 * plane + p] = raster[3 * p];
            }
        }
        return pixels;
    }
}
