package dev.keel.drift.compare;

import dev.keel.datasets.BatchSource;
import dev.keel.datasets.DataException;
import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.serving.translate.Probabilities;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.DataConfig;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.data.DataPreparation;
import dev.keel.trainer.data.ModelPreprocessing;
import dev.keel.trainer.data.PreparedData;
import dev.keel.trainer.interpret.Interpretation;
import dev.keel.trainer.interpret.Predictions;
import dev.keel.trainer.predict.ClassFolders;
import dev.keel.trainer.predict.ModelReference;
import dev.keel.trainer.predict.TrainedModel;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One model's results on every item of labelled data, read with the model's own preprocessing (its
 * table transform, or its images' size, channels and normalisation).
 *
 * @param reference what the user typed and the run directory it resolved to
 * @param classes the model's classes, in its order
 * @param truth the true class of each item, in the data's order
 * @param correct whether the model predicts each item right
 * @param accuracy the share of items predicted right
 * @param meanLoss the mean cross-entropy of the true class
 * @param perClass precision, recall, F1 and support of each of the model's classes
 * @param dataFingerprint the data's SHA-256 (a CSV file) or Keel's image fingerprint (an image folder)
 */
public record ScoredModel(ModelReference reference, List<String> classes, List<String> truth, boolean[] correct,
        double accuracy, double meanLoss, List<Interpretation.ClassMetrics> perClass, String dataFingerprint) {

    /**
     * Predicts every item of {@code data} with {@code model}.
     *
     * @param who the model, for messages ({@code champion fraud@production})
     * @throws ConfigException when the data cannot be read for this model, or holds a class it does not know
     */
    public static ScoredModel evaluate(ModelReference reference, TrainedModel model, LabelledData data, String who) {
        Path runDir = reference.runDir();
        Path configFile = runDir.resolve("config.yaml");
        if (!Files.isRegularFile(configFile)) {
            throw new ConfigException(who + ": " + runDir + " is not a Keel run directory (no config.yaml)");
        }
        RunConfig config = ConfigLoader.load(configFile, List.of());
        data.requireKind(model.takesImages(), who);
        DataConfig settings = data.settingsFor(config.data(),
                model.normalization() == null ? null : model.normalizeSetting());
        PreparedData prepared;
        try (PrintStream quiet = new PrintStream(OutputStream.nullOutputStream())) {
            // Class folders named after the classes, or in a file-system-safe form of them (t-shirt_top).
            List<String> folders = model.takesImages()
                    ? ClassFolders.match(Path.of(settings.path()).resolve("train"), model.classes(), quiet) : null;
            prepared = DataPreparation.prepare(settings, config.seed(), new DatasetResolver(), quiet, false,
                    new ModelPreprocessing(model.tableTransform(), model.takesImages()
                            ? (folders != null ? folders : model.classes()) : null, model.classes()));
        } catch (DataException e) {
            throw data.explain(e, settings, who);
        }
        if (!prepared.itemShape().equals(model.inputShape())) {
            throw new ConfigException("--data " + data.text() + ": its items have shape " + prepared.itemShape()
                    + ", " + who + " takes " + model.inputShape());
        }
        BatchSource items = prepared.train();
        Predictions raw = Predictions.collect(model.block(), model.manager(), items, settings.evalBatchSize(), null);
        // The data's class indices are its own (a table's sorted labels): map each item to the model's.
        int[] labels = new int[raw.size()];
        List<String> truth = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            String name = items.classes().get(raw.labels()[i]);
            int label = model.classes().indexOf(name);
            if (label < 0) {
                throw new ConfigException("--data " + data.text() + ": class \"" + name + "\" (item " + (i + 1)
                        + ") is not one of " + who + "'s classes " + model.classes());
            }
            labels[i] = label;
            truth.add(name);
        }
        Predictions predictions = new Predictions(model.classes(), labels, raw.logits(), null);
        Interpretation interpretation = Interpretation.of(predictions, 0, 0);
        boolean[] correct = new boolean[predictions.size()];
        double lossSum = 0;
        for (int i = 0; i < predictions.size(); i++) {
            correct[i] = Probabilities.argmax(predictions.probabilities(i)) == labels[i];
            lossSum += predictions.loss(i);
        }
        String fingerprint = prepared.provenance().path(data.images() ? "train_sha256" : "sha256").asText(null);
        return new ScoredModel(reference, model.classes(), List.copyOf(truth), correct, interpretation.accuracy(),
                predictions.size() == 0 ? Double.NaN : lossSum / predictions.size(), interpretation.perClass(),
                fingerprint);
    }

    /** The number of items. */
    public int items() {
        return correct.length;
    }

    /** The metrics of class {@code name}. */
    public Interpretation.ClassMetrics metricsOf(String name) {
        return perClass.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no class " + name));
    }
}
