package dev.keel.drift.image;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.dataset.Batch;
import dev.keel.datasets.BatchBuffer;
import dev.keel.datasets.BatchSource;
import dev.keel.datasets.DataException;
import dev.keel.datasets.folder.ImageDecoder;
import dev.keel.serving.image.Normalization;
import dev.keel.trainer.config.AugmentConfig;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.DataConfig;
import dev.keel.trainer.predict.TrainedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;

/**
 * Image drift: are new images still like the images a model was trained on? Three views, from
 * the pixels to what the model makes of them:
 *
 * <ul>
 *   <li>pixel statistics: each channel's mean and standard deviation on both sides, and each
 *       image's mean brightness compared by a two-sample Kolmogorov-Smirnov test (every image);
 *   <li>the MMD test of the model's own penultimate-layer embeddings ({@link Embeddings}) of a
 *       seeded subsample per side, RBF kernel with the median-heuristic bandwidth, p-value from a
 *       seeded permutation test ({@link MmdTest}) — its verdict is the section's verdict;
 *   <li>a domain classifier on the same embeddings ({@link DomainClassifier}), a second opinion.
 * </ul>
 *
 * <p>The entry point for {@code keel drift} is {@link #measure(TrainedModel, BatchSource, Path,
 * ImageDriftOptions)}; {@link #compare} serves callers that read the images themselves.
 */
public final class ImageDrift {
    /** Bins of the brightness histogram. */
    static final int BRIGHTNESS_BINS = 20;

    private ImageDrift() {}

    /**
     * The reference run's data section with train-time augmentation off ({@code data.augment}
     * changes only what the training split's batches look like, not which items it holds nor the
     * normalisation): prepare the reference's training split from it, so that the reference is
     * the training images themselves, not random flips and crops of them.
     */
    public static DataConfig referenceData(DataConfig trained) {
        return new DataConfig(trained.format(), trained.dataset(), trained.path(), trained.labelColumn(),
                trained.delimiter(), trained.columns(), trained.badItems(), trained.batchSize(), trained.evalBatchSize(),
                trained.validFraction(), trained.testFraction(), trained.imageSize(), trained.channels(), trained.cache(),
                new AugmentConfig(0, 1, 0, 0, 0), trained.normalize());
    }

    /**
     * Compares the images of the folder {@code newImages} with {@code referenceTrain}, the
     * training split of the model's run as {@code DataPreparation.prepare} rebuilds it from
     * {@link #referenceData} (its inputs normalised with the model's statistics, which are undone
     * here for the pixel statistics; augmentation off).
     * The folder holds images, or class subfolders named after the model's classes; images of
     * another size or colour are squished and converted to the model's, as {@code keel predict}
     * does, and the result counts them by original size.
     *
     * @throws ConfigException when the model takes table rows, or its inputs do not match the split's
     * @throws DataException naming the folder (missing, empty, an unknown class subfolder) or an
     *     image that cannot be decoded
     */
    public static ImageDriftResult measure(TrainedModel model, BatchSource referenceTrain, Path newImages,
            ImageDriftOptions options) {
        if (!model.takesImages()) {
            throw new ConfigException("the model takes table rows (" + model.inputShape() + "), not images:"
                    + " image drift needs an image model");
        }
        Shape shape = model.inputShape();
        if (!referenceTrain.itemShape().equals(shape)) {
            throw new ConfigException("the reference split's images have shape " + referenceTrain.itemShape()
                    + " but the model takes " + shape);
        }
        NewImageFolder folder = NewImageFolder.scan(newImages, model.classes());
        ImageSample reference = referenceSample(referenceTrain, model.manager(), model.normalization(), options);
        ImageSample fresh = newSample(folder, shape, model.normalization(), options);
        int size = (int) shape.get(1);
        NewImageSizes sizes = new NewImageSizes(size, (int) shape.get(0), fresh.originalSizes(), fresh.resized());
        return compare(model.block(), model.manager(), shape, reference, fresh, folder.labelled(), sizes, options);
    }

    /**
     * Compares two samples already read: their pixel statistics, and the embeddings of their
     * subsamples' inputs by the MMD test and the domain classifier.
     *
     * @param network the trained network, whose penultimate layer gives the embeddings
     * @param itemShape one input's shape (channels, height, width)
     * @param newSizes the new images' original sizes, or null when they did not come from files
     */
    public static ImageDriftResult compare(Block network, NDManager manager, Shape itemShape, ImageSample reference,
            ImageSample fresh, boolean newLabelled, NewImageSizes newSizes, ImageDriftOptions options) {
        if (reference.count() < 2 || fresh.count() < 2) {
            throw new DataException("image drift needs at least two images on each side, got " + reference.count()
                    + " reference and " + fresh.count() + " new");
        }
        List<ChannelStatistics> channels = new ArrayList<>();
        for (int c = 0; c < reference.channels(); c++) {
            channels.add(new ChannelStatistics(c, reference.mean(c), reference.std(c), fresh.mean(c), fresh.std(c)));
        }
        double[] referenceBrightness = reference.brightness();
        double[] newBrightness = fresh.brightness();
        BrightnessTest brightness = brightnessTest(referenceBrightness, newBrightness, options.alpha());
        double[][] referenceEmbeddings = Embeddings.of(network, manager, itemShape, reference.inputs(),
                options.batchSize());
        double[][] newEmbeddings = Embeddings.of(network, manager, itemShape, fresh.inputs(), options.batchSize());
        MmdResult mmd = MmdTest.test(referenceEmbeddings, newEmbeddings, options.permutations(), options.alpha(),
                options.seed());
        int folds = Math.min(options.folds(), Math.min(referenceEmbeddings.length, newEmbeddings.length));
        DomainClassifierResult classifier = DomainClassifier.test(referenceEmbeddings, newEmbeddings, folds,
                options.aucThreshold(), options.seed());
        return new ImageDriftResult(reference.count(), fresh.count(), newLabelled, channels, brightness,
                BrightnessHistogram.of(referenceBrightness, newBrightness, BRIGHTNESS_BINS), newSizes,
                referenceEmbeddings[0].length, mmd, classifier, mmd.drift());
    }

    /** The two-sample Kolmogorov-Smirnov test of per-image mean brightness. */
    static BrightnessTest brightnessTest(double[] reference, double[] fresh, double alpha) {
        KolmogorovSmirnovTest.TwoResult ks = KolmogorovSmirnovTest.withDefaults().test(reference, fresh);
        return new BrightnessTest("two-sample Kolmogorov-Smirnov (two-sided)", ks.getStatistic(), ks.getPValue(),
                reference.length, fresh.length, alpha, ks.getPValue() < alpha, mean(reference), mean(fresh));
    }

    /**
     * Reads every item of a split once: its pixels (normalisation undone, back to [0, 255]) into
     * the statistics, and the inputs of a seeded subsample as they are.
     */
    public static ImageSample referenceSample(BatchSource split, NDManager manager, Normalization normalization,
            ImageDriftOptions options) {
        int n = split.itemCount();
        Shape shape = split.itemShape();
        int channels = (int) shape.get(0);
        int plane = (int) (shape.get(1) * shape.get(2));
        ImageSample sample = new ImageSample(n, channels, plane, normalization, options.samplePerSide(),
                options.seed());
        int[] order = IntStream.range(0, n).toArray();
        int batchSize = 256;
        BatchBuffer buffer = split.newBuffer(Math.max(1, Math.min(batchSize, n)));
        int width = split.itemSize();
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(from + batchSize, n);
            float[] values;
            try (NDManager scope = manager.newSubManager()) {
                Batch batch = split.batch(scope, order, from, to, 0, buffer);
                values = batch.getData().head().toFloatArray();
                batch.close();
            }
            for (int i = from; i < to; i++) {
                float[] pixels = new float[width];
                System.arraycopy(values, (i - from) * width, pixels, 0, width);
                for (int c = 0; c < channels; c++) {
                    float std = normalization.std()[c];
                    float mean = normalization.mean()[c];
                    for (int p = c * plane, end = p + plane; p < end; p++) {
                        pixels[p] = (pixels[p] * std + mean) * 255f;
                    }
                }
                sample.add(i, pixels);
            }
        }
        return sample;
    }

    /** Decodes every image of the folder once, at the model's size and channels. */
    public static ImageSample newSample(NewImageFolder folder, Shape itemShape, Normalization normalization,
            ImageDriftOptions options) {
        int channels = (int) itemShape.get(0);
        int size = (int) itemShape.get(1);
        int n = folder.files().size();
        // Another stream than the reference's: the two subsamples are drawn independently.
        ImageSample sample = new ImageSample(n, channels, size * size, normalization, options.samplePerSide(),
                options.seed() + 1);
        for (int i = 0; i < n; i++) {
            ImageDecoder.Decoded decoded = folder.decode(i, channels, size);
            byte[] bytes = decoded.pixels();
            float[] pixels = new float[bytes.length];
            for (int p = 0; p < bytes.length; p++) {
                pixels[p] = bytes[p] & 0xff;
            }
            sample.add(i, pixels);
            boolean resized = decoded.width() != size || decoded.height() != size
                    || (decoded.colour() && channels == 1);
            sample.addOriginalSize(decoded.width(), decoded.height(), resized);
        }
        return sample;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }
}
