package dev.keel.trainer.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where the data comes from and how it is fed.
 *
 * @param format the file format; {@code idx} (MNIST-style files)
 * @param dataset a named dataset resolved as README describes, or null when {@code path} is given
 * @param path a folder holding the dataset's files, or null to resolve {@code dataset} by name
 * @param batchSize training batch size
 * @param evalBatchSize batch size for validation and test, which need no gradients
 * @param validFraction the share of the training images held out for validation, in [0, 1)
 * @param normalize {@code auto} (statistics of the training split), {@code none}, or {@code [mean, std]}
 */
public record DataConfig(
        String format,
        String dataset,
        String path,
        int batchSize,
        int evalBatchSize,
        double validFraction,
        JsonNode normalize) {}
