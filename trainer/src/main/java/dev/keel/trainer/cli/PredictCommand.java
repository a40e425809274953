package dev.keel.trainer.cli;

import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.engine.DeviceChoice;
import dev.keel.trainer.predict.ModelResolver;
import dev.keel.trainer.predict.Prediction;
import dev.keel.trainer.predict.Predictor;
import dev.keel.trainer.predict.TrainedModel;
import dev.keel.trainer.track.CsvWriter;
import dev.keel.trainer.track.WriteFailedException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel predict MODEL INPUT...}: the class and confidence of each image or table row. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Predict the class of image files, folders of images (searched recursively) or the rows of a"
                + " CSV file with a finished run's model, applying exactly the preprocessing it was trained with."
                + " Prints input, class and confidence per line, marking those below the review threshold.",
                "Exit code 2 when an input, an option or the run's model cannot be used (named on stderr);"
                        + " without --keep-going the first input that cannot be read stops the command."})
final class PredictCommand implements Callable<Integer> {
    private final ModelResolver models;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The run directory whose model to use, or a"
            + " registered version: NAME@production, NAME@staging, NAME@VERSION or NAME@ALIAS.")
    private String reference;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "INPUT",
            description = "Image files, folders of images, or a CSV file (for a model trained on a table).")
    private List<Path> inputs;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the predictions as CSV, with every class's"
            + " probability: written whole at the end (kept as it was when a bad input stops the command), never"
            + " over an input or inside a run directory.")
    private Path out;

    @Option(names = "--keep-going", description = "Predict every readable input, reporting the others, instead of"
            + " stopping at the first one that cannot be read.")
    private boolean keepGoing;

    @Option(names = "--review-below", paramLabel = "CONFIDENCE", description = "Mark predictions below this"
            + " confidence, between 0 and 1, for review (default: the run's interpret.review_below).")
    private Double reviewBelow;

    @Option(names = "--batch-size", defaultValue = "256", description = "Inputs per forward pass, at least 1"
            + " (default: 256).")
    private int batchSize;

    PredictCommand(ModelResolver models) {
        this.models = models;
    }

    @Override
    public Integer call() throws IOException {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        checkOptions();
        Path runDir = models.resolve(reference).runDir();
        TrainedModel.requireFolder(runDir);
        if (out != null) {
            OutputTarget.check("--out", out, runDir, inputs);
        }
        RunConfig config = Files.isRegularFile(runDir.resolve("config.yaml"))
                ? ConfigLoader.load(runDir.resolve("config.yaml"), List.of()) : null;
        double threshold = reviewBelow != null ? reviewBelow : config == null ? 0.5 : config.interpret().reviewBelow();
        char delimiter = config == null ? ',' : config.data().delimiter().charAt(0);
        try (TrainedModel model = TrainedModel.open(runDir, DeviceChoice.resolve("auto", runDir.toString()));
                OutputFile output = out == null ? null : OutputFile.start("--out", out);
                CsvWriter csv = output == null ? null : new CsvWriter(output.writer())) {
            if (csv != null) {
                List<String> header = new ArrayList<>(List.of("input", "predicted", "confidence", "review"));
                model.classes().forEach(name -> header.add("p_" + name));
                csv.row(header);
            }
            long start = System.nanoTime();
            int[] counts = new int[2];
            List<Predictor.Failure> failures = new Predictor(model, batchSize).predict(inputs, delimiter, keepGoing,
                    p -> {
                        boolean review = p.confidence() < threshold;
                        counts[0]++;
                        counts[1] += review ? 1 : 0;
                        stdout.printf(Locale.ROOT, "%s\t%s\t%.4f%s%n", p.input(), p.predicted(), p.confidence(),
                                review ? "\treview" : "");
                        write(csv, p, review);
                    });
            double seconds = (System.nanoTime() - start) / 1e9;
            // Stopped at a bad input, the file would hold only some of the predictions asked for:
            // the file --out names keeps what it held.
            boolean written = output != null && (failures.isEmpty() || keepGoing);
            if (written) {
                csv.flush();
                output.commit();
            }
            for (Predictor.Failure failure : failures) {
                stderr.println("keel: " + failure.input() + ": " + failure.problem());
            }
            stderr.printf(Locale.ROOT, "predicted %,d %s in %.2fs (%,.0f per second); %,d below confidence %.2f"
                    + " marked review%s%s%n", counts[0], model.takesImages() ? "images" : "rows", seconds,
                    counts[0] / Math.max(seconds, 1e-9), counts[1], threshold,
                    failures.isEmpty() ? "" : "; " + failures.size() + " could not be read"
                            + (keepGoing ? "" : " (stopped at the first: --keep-going predicts the rest)"),
                    out == null ? "" : written ? "; wrote " + out : "; " + out + " not written");
            stdout.flush();
            stderr.flush();
            return failures.isEmpty() ? 0 : KeelCli.EXIT_USAGE;
        }
    }

    /** The options' values are checked before anything is read, each refusal naming its option. */
    private void checkOptions() {
        if (reviewBelow != null && !(reviewBelow >= 0 && reviewBelow <= 1)) {
            throw new ConfigException("--review-below " + reviewBelow + ": expected a confidence between 0 and 1");
        }
        if (batchSize < 1) {
            throw new ConfigException("--batch-size " + batchSize + ": expected an integer >= 1");
        }
    }

    private void write(CsvWriter csv, Prediction p, boolean review) {
        if (csv == null) {
            return;
        }
        try {
            List<String> fields = new ArrayList<>(List.of(p.input(), p.predicted(),
                    String.format(Locale.ROOT, "%.6f", p.confidence()), String.valueOf(review)));
            for (double probability : p.probabilities()) {
                fields.add(String.format(Locale.ROOT, "%.6g", probability));
            }
            csv.row(fields);
        } catch (IOException e) {
            throw WriteFailedException.of(out, e);
        }
    }
}
