package dev.keel.trainer.data;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.datasets.BatchSource;
import dev.keel.datasets.check.DataReport;
import java.util.List;

/**
 * A run's data, whatever its format: the three splits the loop and the evaluations read, what one
 * item looks like, the fitted transform a prediction must apply again, and what a check found.
 *
 * @param train the training split
 * @param valid the validation split (possibly empty)
 * @param test the test split, never used for any choice made during training
 * @param classes one name per class index
 * @param itemShape one item's input shape
 * @param transform the fitted input transform (normalisation statistics, table encoders), saved
 *     with the model in keel-model.json
 * @param provenance the dataset's entry in provenance.json: name, origin, location, sizes, fingerprints
 * @param report what the check of the data found, or null for formats that are checked as they are read (IDX)
 * @param testNames a name for each test item (its file, relative to the data folder), or null
 *     where items have no names of their own (IDX images, table rows: their index names them)
 */
public record PreparedData(BatchSource train, BatchSource valid, BatchSource test, List<String> classes,
        Shape itemShape, ObjectNode transform, ObjectNode provenance, DataReport report, List<String> testNames) {}
