package dev.keel.trainer.cli;

import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.engine.DeviceChoice;
import dev.keel.trainer.predict.RunEvaluation;
import dev.keel.trainer.predict.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel evaluate RUN_DIR [--data CONFIG_OR_PATH]}: the model's interpretation on a test split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a finished run's model on the test split of its data (or of --data) with the"
                + " preprocessing it was trained with, and write the interpretation into RUN_DIR/interpret/:"
                + " confusion matrix, per-class precision, recall and F1, the highest-loss items, and the"
                + " predictions below interpret.review_below to review.",
                "Exit code 2 when the run, its saved model or --data cannot be used (named on stderr)."})
final class EvaluateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run whose model to evaluate.")
    private Path runDir;

    @Option(names = "--data", paramLabel = "CONFIG_OR_PATH",
            description = "A config file whose data section to use, or a folder or CSV file in the run's data format"
                    + " (default: the run's own data).")
    private String data;

    @Override
    public Integer call() {
        TrainedModel.requireFolder(runDir);
        requireWritable();
        requireRunDataFormat();
        RunEvaluation.evaluate(runDir, data, DeviceChoice.resolve("auto", runDir.toString()), new DatasetResolver(),
                System.out);
        return 0;
    }

    /** Refused before the evaluation rather than after it, when its results could not be written. */
    private void requireWritable() {
        for (Path folder : List.of(runDir, runDir.resolve("interpret"), runDir.resolve("plots"))) {
            if (Files.isDirectory(folder) && !Files.isWritable(folder)) {
                throw new ConfigException(folder + ": read-only; evaluate writes its interpretation into interpret/ and"
                        + " redraws report.html and plots/ in the run directory");
            }
        }
    }

    /**
     * A CSV file for a run trained on images, or a folder for a run trained on a table, is refused
     * here, naming {@code --data}: read with the run's settings it would fail on options that do not
     * apply to it.
     */
    private void requireRunDataFormat() {
        Path config = runDir.resolve("config.yaml");
        if (data == null || data.endsWith(".yaml") || data.endsWith(".yml") || !Files.isRegularFile(config)) {
            return; // a config brings its own format; a run without config.yaml is named by the evaluation
        }
        String format = ConfigLoader.load(config, List.of()).data().format();
        Path path = Path.of(data);
        boolean csvFile = Files.isRegularFile(path) && data.toLowerCase(Locale.ROOT).endsWith(".csv");
        if (csvFile && !format.equals("csv")) {
            throw new ConfigException("--data " + data + ": a CSV file, but the run trained on " + format
                    + " data; give it a folder in that layout");
        }
        if (Files.isDirectory(path) && format.equals("csv")) {
            throw new ConfigException("--data " + data + ": a folder, but the run trained on a CSV table; give it a"
                    + " CSV file with the same columns");
        }
    }
}
