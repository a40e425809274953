package dev.keel.trainer.report;

import dev.keel.trainer.lrfind.LrFindPlot;
import dev.keel.trainer.lrfind.LrFinderResult;
import dev.keel.trainer.plot.Charts;
import dev.keel.trainer.track.WriteFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.knowm.xchart.XYChart;

/**
 * Draws a run's charts from what its files record, into {@code plots/}: loss, accuracy, learning
 * rate and momentum from metrics.jsonl, and the learning-rate sweep from lr_find.csv and
 * lr_find.json when the run swept. A chart without data is left out; a chart whose data cannot be
 * read is reported and the others are still drawn.
 */
final class RunPlots {
    /** The folder in a run directory that holds the charts. */
    static final String FOLDER = "plots";

    /**
     * A chart drawn.
     *
     * @param file its path in the run directory, such as {@code plots/loss.png}
     * @param caption what it shows, in a sentence
     * @param png the image
     */
    record Plot(String file, String caption, byte[] png) {}

    /**
     * What a drawing produced.
     *
     * @param plots the charts drawn, in the order a reader wants them
     * @param failures one line for each chart whose data could not be read
     */
    record Drawing(List<Plot> plots, List<String> failures) {}

    private RunPlots() {}

    static Drawing draw(Path runDir) {
        Path folder = runDir.resolve(FOLDER);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw WriteFailedException.of(folder, e);
        }
        List<Plot> plots = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        MetricsHistory metrics = MetricsHistory.read(runDir.resolve("metrics.jsonl"));
        add(plots, failures, folder, "loss.png", "Training loss of each logged window of steps, and training and "
                + "validation loss after each epoch.", () -> LossChart.of(metrics));
        add(plots, failures, folder, "accuracy.png", "Validation accuracy after each epoch; the dashed line is the "
                + "accuracy on the test split at the end.", () -> AccuracyChart.of(metrics));
        add(plots, failures, folder, "lr.png", metrics.hasGroups()
                ? "Learning rate of each parameter group at each logged step; a group has no line while it is frozen."
                : "Learning rate at each logged step.", () -> LearningRateChart.of(metrics));
        add(plots, failures, folder, "momentum.png", "Momentum (sgd) or beta1 (adam) at each logged step.",
                () -> MomentumChart.of(metrics));
        boolean swept = Files.isRegularFile(runDir.resolve(LrFinderResult.CSV))
                && Files.isRegularFile(runDir.resolve(LrFinderResult.JSON));
        String sweepCaption = "The learning-rate sweep before training: smoothed loss against the rate, with fastai's "
                + "three suggestions; the dashed line marks the rate trained with.";
        Path sweepDrawn = runDir.resolve(LrFinderResult.PNG);
        if (swept && Files.isRegularFile(sweepDrawn)) {
            copy(plots, failures, folder, sweepDrawn, sweepCaption); // the sweep drew it already: draw it once
        } else {
            add(plots, failures, folder, LrFinderResult.PNG, sweepCaption,
                    () -> swept ? Optional.of(LrFindPlot.chart(LrFinderResult.read(runDir))) : Optional.empty());
        }
        return new Drawing(plots, failures);
    }

    private static void copy(List<Plot> plots, List<String> failures, Path folder, Path png, String caption) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(png);
        } catch (IOException e) {
            failures.add(png.getFileName() + " not shown: " + e.getMessage());
            return;
        }
        Charts.write(bytes, folder.resolve(png.getFileName().toString()));
        plots.add(new Plot(FOLDER + "/" + png.getFileName(), caption, bytes));
    }

    private static void add(List<Plot> plots, List<String> failures, Path folder, String name, String caption,
            Supplier<Optional<XYChart>> chart) {
        Optional<XYChart> drawn;
        try {
            drawn = chart.get();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            failures.add(name + " not drawn: " + e.getMessage());
            return;
        }
        if (drawn.isPresent()) {
            byte[] png = Charts.png(drawn.get());
            Charts.write(png, folder.resolve(name));
            plots.add(new Plot(FOLDER + "/" + name, caption, png));
        }
    }
}
