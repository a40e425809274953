package dev.keel.trainer.predict;

import ai.djl.Device;
import dev.keel.datasets.BatchSource;
import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.DataConfig;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.data.DataPreparation;
import dev.keel.trainer.data.ModelPreprocessing;
import dev.keel.trainer.data.PreparedData;
import dev.keel.trainer.interpret.Interpretation;
import dev.keel.trainer.interpret.Interpreter;
import dev.keel.trainer.report.RunReport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code keel evaluate}: a finished run's model on the test split of its own data, or of other data
 * in the same layout, with the preprocessing it was trained with; writes the interpretation into
 * the run directory and redraws its report.
 */
public final class RunEvaluation {
    private RunEvaluation() {}

    /**
     * @param data a config file whose data section to evaluate on, a folder or file in the run's
     *     data format, or null for the run's own data
     */
    public static Interpretation evaluate(Path runDir, String data, Device device, DatasetResolver resolver,
            PrintStream out) {
        Path configFile = runDir.resolve("config.yaml");
        if (!Files.isRegularFile(configFile)) {
            throw new ConfigException(runDir + ": not a Keel run directory (no config.yaml)");
        }
        RunConfig config = ConfigLoader.load(configFile, List.of());
        try (TrainedModel model = TrainedModel.open(runDir, device)) {
            DataConfig dataConfig = dataConfig(config.data(), data);
            if (model.normalization() != null) {
                // The model's own statistics, never ones fitted again on the data evaluated.
                dataConfig = dataConfig.withNormalize(model.normalizeSetting());
            }
            // A table given as a file is new data: every row of it is evaluated, none held out for training.
            boolean wholeTable = data != null && dataConfig.format().equals("csv") && !isConfig(data);
            if (wholeTable) {
                dataConfig = dataConfig.withoutHoldout();
            }
            List<String> classFolders = dataConfig.format().equals("image-folder")
                    ? ClassFolders.match(Path.of(dataConfig.path()).resolve("train"), model.classes(), out) : null;
            PreparedData prepared = DataPreparation.prepare(dataConfig, config.seed(), resolver, out, false,
                    new ModelPreprocessing(model.tableTransform(), classFolders, model.classes()));
            BatchSource evaluated = wholeTable ? prepared.train() : prepared.test();
            if (!prepared.classes().equals(model.classes())) {
                throw new ConfigException((data == null ? "the run's data" : data) + ": its classes "
                        + prepared.classes() + " are not the model's " + model.classes());
            }
            if (!prepared.itemShape().equals(model.inputShape())) {
                throw new ConfigException((data == null ? "the run's data" : data) + ": its items have shape "
                        + prepared.itemShape() + ", the model takes " + model.inputShape());
            }
            Interpretation interpretation = Interpreter.run(model.block(), model.manager(), evaluated,
                    prepared.testNames(), prepared.transform(), config.interpret(), dataConfig.evalBatchSize(), runDir,
                    "test", out);
            out.printf(Locale.ROOT, "test: accuracy %.2f%% on %,d items%n", 100 * interpretation.accuracy(),
                    evaluated.itemCount());
            out.println("report: " + RunReport.write(runDir));
            return interpretation;
        }
    }

    private static DataConfig dataConfig(DataConfig run, String data) {
        if (data == null) {
            return run;
        }
        Path path = Path.of(data);
        if (isConfig(data)) {
            return ConfigLoader.load(path, List.of()).data();
        }
        if (!Files.exists(path)) {
            throw new ConfigException("--data " + data + ": not found (expected a config file, or a folder or CSV file"
                    + " in the run's data format)");
        }
        if (Files.isRegularFile(path) && data.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return run.withPath("csv", data);
        }
        if (Files.isDirectory(path.resolve("train"))) {
            return run.withPath("image-folder", data);
        }
        if (Files.isDirectory(path)) {
            return run.withPath("idx", data);
        }
        throw new ConfigException("--data " + data + ": expected a config file (.yaml), an image folder holding train/"
                + " (and test/), a folder of IDX files, or a CSV file");
    }

    private static boolean isConfig(String data) {
        return data.endsWith(".yaml") || data.endsWith(".yml");
    }
}
