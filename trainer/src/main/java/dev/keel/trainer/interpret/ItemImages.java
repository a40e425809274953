package dev.keel.trainer.interpret;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import dev.keel.datasets.BatchSource;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Items of an image split as pictures again: the model's inputs with their normalisation undone. */
final class ItemImages {
    private ItemImages() {}

    /**
     * The images at {@code positions}.
     *
     * @param mean per-channel mean the inputs were normalised with
     * @param std per-channel standard deviation the inputs were normalised with
     */
    static List<BufferedImage> of(BatchSource data, int[] positions, float[] mean, float[] std, NDManager manager) {
        List<BufferedImage> images = new ArrayList<>();
        if (positions.length == 0) {
            return images;
        }
        Shape shape = data.itemShape();
        int channels = (int) shape.get(0);
        int height = (int) shape.get(1);
        int width = (int) shape.get(2);
        int plane = height * width;
        try (NDManager scope = manager.newSubManager()) {
            Batch batch = data.batch(scope, positions, 0, positions.length, 0, data.newBuffer(positions.length));
            float[] values = batch.getData().singletonOrThrow().toFloatArray();
            batch.close();
            for (int i = 0; i < positions.length; i++) {
                BufferedImage image = new BufferedImage(width, height,
                        channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
                int offset = i * channels * plane;
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int p = y * width + x;
                        if (channels == 1) {
                            image.getRaster().setSample(x, y, 0, pixel(values[offset + p], mean[0], std[0]));
                        } else {
                            int rgb = 0;
                            for (int c = 0; c < 3; c++) {
                                rgb = rgb << 8 | pixel(values[offset + c * plane + p], mean[c], std[c]);
                            }
                            image.setRGB(x, y, rgb);
                        }
                    }
                }
                images.add(image);
            }
        }
        return images;
    }

    private static int pixel(float normalised, float mean, float std) {
        return Math.max(0, Math.min(255, Math.round((normalised * std + mean) * 255)));
    }
}
