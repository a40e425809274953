package dev.keel.trainer.cli;

import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.trainer.predict.RunEvaluation;
import dev.keel.trainer.engine.DeviceChoice;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel evaluate RUN_DIR [--data CONFIG_OR_PATH]}: the model's interpretation on a test split. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a finished run's model on the test split of its data (or of --data) with the"
                + " preprocessing it was trained with, and write the interpretation into RUN_DIR/interpret/:"
                + " confusion matrix, per-class precision, recall and F1, the highest-loss items, and the"
                + " predictions below interpret.review_below to review."})
final class EvaluateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "The run whose model to evaluate.")
    private Path runDir;

    @Option(names = "--data", paramLabel = "CONFIG_OR_PATH",
            description = "A config file whose data section to use, or a folder or CSV file in the run's data format"
                    + " (default: the run's own data).")
    private String data;

    @Override
    public Integer call() {
        RunEvaluation.evaluate(runDir, data, DeviceChoice.resolve("auto", runDir.toString()), new DatasetResolver(),
                System.out);
        return 0;
    }
}
