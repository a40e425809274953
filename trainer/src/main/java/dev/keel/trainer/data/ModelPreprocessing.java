package dev.keel.trainer.data;

import dev.keel.serving.table.TableTransform;
import java.util.List;

/**
 * What a trained model fixes about the data it is evaluated on: a table is encoded with the
 * model's own transform, and an image folder's classes take the model's order and names.
 *
 * @param table the model's table transform, or null for a model that takes images
 * @param classFolders the image folders that hold the model's classes, in the model's class order;
 *     null to read the folder's classes as training does (sorted)
 * @param classNames the model's class names, one per folder of {@code classFolders}
 */
public record ModelPreprocessing(TableTransform table, List<String> classFolders, List<String> classNames) {}
