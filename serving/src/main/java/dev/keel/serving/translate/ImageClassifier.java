package dev.keel.serving.translate;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.BufferedImageFactory;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.keel.serving.image.ImageConversion;
import dev.keel.serving.model.KeelModelFile;
import java.awt.image.BufferedImage;

/**
 * Classifies a DJL {@link Image} with a Keel image model, preprocessed exactly as {@code keel predict}
 * does: squished to the model's size, in its channels, normalised with its training statistics;
 * probabilities are the softmax of the logits in double precision.
 */
public final class ImageClassifier implements Translator<Image, Classifications> {
    private final KeelModelFile model;

    public ImageClassifier(KeelModelFile model) {
        this.model = model;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        float[] values = floats(model, awtImage(ctx, input));
        return new NDList(ctx.getNDManager().create(values, model.inputShape()));
    }

    @Override
    public Classifications processOutput(TranslatorContext ctx, NDList list) {
        return Outputs.classifications(model, list.singletonOrThrow().toFloatArray());
    }

    /** The model's input for one image: pixels as floats, normalised, channel after channel. */
    static float[] floats(KeelModelFile model, BufferedImage image) {
        int channels = (int) model.inputShape().get(0);
        int size = (int) model.inputShape().get(1);
        byte[] pixels = ImageConversion.toPixels(image, channels, size);
        float[] values = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            values[i] = pixels[i] & 0xff;
        }
        model.normalization().applyInPlace(values, 0, size * size);
        return values;
    }

    /** The image as AWT holds it: DJL's default image factory wraps one; others are converted through their pixels. */
    private static BufferedImage awtImage(TranslatorContext ctx, Image input) {
        if (input.getWrappedImage() instanceof BufferedImage image) {
            return image;
        }
        NDArray pixels = input.toNDArray(ctx.getNDManager(), Image.Flag.COLOR);
        return (BufferedImage) new BufferedImageFactory().fromNDArray(pixels).getWrappedImage();
    }

}
