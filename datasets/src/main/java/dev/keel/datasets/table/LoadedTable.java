package dev.keel.datasets.table;

import dev.keel.serving.table.TableTransform;
import java.util.List;

/**
 * A CSV table read, checked, split and encoded, as {@link Tables#load} returns it.
 *
 * @param train the training rows
 * @param valid the validation rows (none when the valid fraction is 0)
 * @param test the test rows (none when the test fraction is 0)
 * @param transform the encoding fitted on the training rows, to save with the model
 * @param classes the class names, one per class index
 * @param description one line for the console, e.g. {@code iris.csv: 150 rows, 4 numeric and 0
 *     categorical columns, 3 classes}
 * @param trainRows the training rows as the file has them (its header, and each row's fields before
 *     any encoding), for statistics over raw values such as {@code keel drift}'s
 */
public record LoadedTable(TableDataset train, TableDataset valid, TableDataset test, TableTransform transform,
        List<String> classes, String description, CsvTable trainRows) {}
