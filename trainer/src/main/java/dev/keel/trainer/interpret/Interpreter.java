package dev.keel.trainer.interpret;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.datasets.BatchSource;
import dev.keel.serving.image.Normalization;
import dev.keel.trainer.config.InterpretConfig;
import dev.keel.trainer.plot.Charts;
import dev.keel.trainer.track.GsonTrees;
import dev.keel.trainer.track.RunDirectory;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Interprets a model on one split and writes what it found into the run's {@code interpret/} folder. */
public final class Interpreter {
    private Interpreter() {}

    /**
     * Predicts every item of {@code split}, interprets the predictions, writes the files and prints
     * a two-line summary.
     *
     * @param names the split's item names, or null
     * @param transform the data transform the model was trained with (normalisation statistics for images)
     */
    public static Interpretation run(Block block, NDManager manager, BatchSource split, List<String> names,
            ObjectNode transform, InterpretConfig config, int batchSize, Path runDir, String splitName,
            PrintStream out) {
        Charts.headless();
        Predictions predictions = Predictions.collect(block, manager, split, batchSize, names);
        Interpretation interpretation = Interpretation.of(predictions, config.topLosses(), config.reviewBelow());
        List<BufferedImage> images = List.of();
        // The transform may hold arrays as Java objects (POJO nodes) until written: read it as a tree.
        JsonNode statistics = RunDirectory.JSON.valueToTree(transform);
        if (split.itemShape().dimension() == 3 && statistics.has("normalize_mean")) {
            int[] positions = interpretation.topLosses().stream().mapToInt(Interpretation.Item::position).toArray();
            Normalization normalization = Normalization.fromJson(GsonTrees.toGson(statistics.get("normalize_mean")),
                    GsonTrees.toGson(statistics.get("normalize_std")));
            images = ItemImages.of(split, positions, normalization.mean(), normalization.std(), manager);
        }
        Path dir = InterpretationFiles.write(interpretation, splitName, images, runDir);
        out.printf(Locale.ROOT, "interpretation of the %s split: macro F1 %.4f; lowest recall %s (%.1f%%); %,d of %,d"
                        + " predictions below confidence %.2f to review%n", splitName, interpretation.macroF1(),
                weakest(interpretation).name(), 100 * weakest(interpretation).recall(), interpretation.review().size(),
                predictions.size(), config.reviewBelow());
        out.println("wrote " + dir + "/: confusion.csv/.png, per_class.csv, top_losses.csv"
                + (images.isEmpty() ? "" : "/.png") + ", review.csv, interpretation.json");
        return interpretation;
    }

    private static Interpretation.ClassMetrics weakest(Interpretation interpretation) {
        Interpretation.ClassMetrics weakest = interpretation.perClass().get(0);
        for (Interpretation.ClassMetrics m : interpretation.perClass()) {
            if (m.support() > 0 && (weakest.support() == 0 || m.recall() < weakest.recall())) {
                weakest = m;
            }
        }
        return weakest;
    }

}
