package dev.keel.drift.image;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What the domain classifier found ({@link DomainClassifier}).
 *
 * @param classifier the classifier, in words
 * @param folds k of the k-fold cross-validation whose held-out scores give the AUC
 * @param auc ROC AUC of telling new rows (positive) from reference rows: 0.5 when they cannot be told apart
 * @param referenceItems reference rows
 * @param newItems new rows
 * @param seed the folds' seed
 * @param threshold the AUC drift is reported above
 * @param drift whether {@code auc > threshold}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DomainClassifierResult(String classifier, int folds, double auc, int referenceItems, int newItems,
        long seed, double threshold, boolean drift) {}
