package dev.keel.datasets.resolve;

import dev.keel.datasets.LabeledImages;
import java.util.List;

/**
 * A dataset found and read: its training and test images and where they came from.
 *
 * @param name the dataset's name, for example {@code fashion-mnist}
 * @param origin which source the resolver used
 * @param location the folder or resource the files were read from
 * @param train the training images (the validation split is taken from these)
 * @param test the held-out test images
 * @param classNames one name per class index
 */
public record ResolvedDataset(
        String name, DataOrigin origin, String location, LabeledImages train, LabeledImages test,
        List<String> classNames) {

    /** One line for the console: what was read from where. */
    public String describe() {
        return String.format("%s from %s (%s): %,d training and %,d test images, %d classes",
                name, origin.label(), location, train.count(), test.count(), classNames.size());
    }
}
