package dev.keel.trainer.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Where the data comes from, how it is checked and how it is fed.
 *
 * @param format {@code idx} (MNIST-style files), {@code image-folder} or {@code csv}
 * @param dataset a named dataset resolved as docs/data.md describes, or null when {@code path} is given
 * @param path a folder holding the dataset's files (idx, image-folder) or a CSV file; null to
 *     resolve {@code dataset} by name
 * @param labelColumn csv: the column holding the class
 * @param delimiter csv: the field separator, one character
 * @param columns csv: column types by name ({@code numeric}, {@code categorical} or {@code ignore});
 *     columns not named are inferred
 * @param badItems {@code fail} (stop before training, naming the first problems) or {@code skip}
 *     (train on the good items; the report lists every skipped one)
 * @param batchSize training batch size
 * @param evalBatchSize batch size for validation and test, which need no gradients
 * @param validFraction the share of the training items held out for validation, in [0, 1), when
 *     the data has no validation split of its own
 * @param testFraction the share held out for testing, in [0, 1), when the data has no test split
 *     of its own (image folders without {@code test/}, CSV files)
 * @param imageSize image-folder: the side of the square every image is resized to
 * @param channels image-folder: 1 (grayscale) or 3 (RGB)
 * @param cache image-folder: keep the decoded images in memory (epochs after the first decode
 *     nothing); false decodes every batch from its files, for folders too large for memory
 * @param augment image-folder: train-time augmentation
 * @param normalize {@code auto} (statistics of the training split), {@code none}, or {@code [mean, std]}
 */
public record DataConfig(
        String format,
        String dataset,
        String path,
        String labelColumn,
        String delimiter,
        Map<String, String> columns,
        String badItems,
        int batchSize,
        int evalBatchSize,
        double validFraction,
        double testFraction,
        int imageSize,
        int channels,
        boolean cache,
        AugmentConfig augment,
        JsonNode normalize) {
    /**
     * These settings with {@code data.normalize} replaced: {@code [mean, std]}, or per-channel
     * {@code [[means], [stds]]}.
     */
    public DataConfig withNormalize(JsonNode setting) {
        return new DataConfig(format, dataset, path, labelColumn, delimiter, columns, badItems, batchSize, evalBatchSize,
                validFraction, testFraction, imageSize, channels, cache, augment, setting);
    }

    /** These settings with nothing held out: every item is in the training split (a table evaluated whole). */
    public DataConfig withoutHoldout() {
        return new DataConfig(format, dataset, path, labelColumn, delimiter, columns, badItems, batchSize, evalBatchSize,
                0, 0, imageSize, channels, cache, augment, normalize);
    }

    /** These settings reading {@code path} in {@code format} instead. */
    public DataConfig withPath(String format, String path) {
        return new DataConfig(format, dataset, path, labelColumn, delimiter, columns, badItems, batchSize, evalBatchSize,
                validFraction, testFraction, imageSize, channels, cache, augment, normalize);
    }
}
