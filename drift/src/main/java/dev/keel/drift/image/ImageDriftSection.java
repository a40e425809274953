package dev.keel.drift.image;

import dev.keel.trainer.plot.Charts;
import dev.keel.trainer.report.Html;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * The images section of drift.html: the verdict, the tests with their statistics, p-values and
 * sample sizes, the per-channel pixel statistics, and the brightness histograms of both sides as
 * an inlined PNG. An HTML fragment (no page around it), every text escaped.
 */
public final class ImageDriftSection {
    private ImageDriftSection() {}

    /** The section as an HTML fragment, starting with its {@code <h2>}. */
    public static String html(ImageDriftResult result) {
        Html html = new Html();
        html.heading("Images");
        html.paragraph(result.drift()
                ? "Drift: the model's embeddings of the new images differ from those of its training images"
                        + " (MMD test, p = " + number(result.mmd().pValue()) + ")."
                : "No drift found in the model's embeddings of the new images (MMD test, p = "
                        + number(result.mmd().pValue()) + ").");
        MmdResult mmd = result.mmd();
        DomainClassifierResult classifier = result.domainClassifier();
        BrightnessTest brightness = result.brightness();
        html.table(List.of("test", "on", "statistic", "p-value / threshold", "reference items", "new items",
                "drift"), List.of(
                List.of("MMD, RBF kernel (sigma " + number(mmd.bandwidth()) + ", median heuristic), "
                        + mmd.permutations() + " permutations", "embeddings (width " + result.embeddingWidth() + ")",
                        "MMD² " + number(mmd.mmd2()), "p = " + number(mmd.pValue()) + " (drift below "
                        + number(mmd.alpha()) + ")", count(mmd.referenceItems()), count(mmd.newItems()),
                        yesNo(mmd.drift())),
                List.of("domain classifier: " + classifier.classifier() + ", " + classifier.folds() + "-fold",
                        "embeddings", "ROC AUC " + number(classifier.auc()), "drift above "
                        + number(classifier.threshold()), count(classifier.referenceItems()),
                        count(classifier.newItems()), yesNo(classifier.drift())),
                List.of(brightness.test(), "mean brightness per image", "D " + number(brightness.statistic()),
                        "p = " + number(brightness.pValue()) + " (drift below " + number(brightness.alpha()) + ")",
                        count(brightness.referenceItems()), count(brightness.newItems()),
                        yesNo(brightness.drift()))));
        List<List<String>> channels = new ArrayList<>();
        for (ChannelStatistics c : result.channels()) {
            channels.add(List.of(channelName(c.channel(), result.channels().size()), number(c.referenceMean()),
                    number(c.newMean()), number(c.referenceStd()), number(c.newStd())));
        }
        html.table(List.of("channel", "reference mean", "new mean", "reference std", "new std"), channels);
        if (result.newSizes() != null) {
            NewImageSizes sizes = result.newSizes();
            StringBuilder found = new StringBuilder();
            for (Map.Entry<String, Integer> size : sizes.originalSizes().entrySet()) {
                found.append(found.length() == 0 ? "" : ", ").append(size.getKey()).append(" (")
                        .append(count(size.getValue())).append(')');
            }
            html.paragraph("New images in their files: " + found + ". " + (sizes.resized() == 0
                    ? "All were at the model's size and channels."
                    : count(sizes.resized()) + " were squished to " + sizes.modelSize() + "x" + sizes.modelSize()
                            + (sizes.modelChannels() == 1 ? " and converted to grayscale" : " in RGB")
                            + ", as keel predict does."));
        }
        html.figure(Charts.png(brightnessChart(result.brightnessHistogram())), "brightness histograms",
                "Mean brightness per image: the share of each side's images per bin");
        return html.toString();
    }

    /** Each side's share of images per brightness bin, as two lines over the bins' centres. */
    public static XYChart brightnessChart(BrightnessHistogram histogram) {
        XYChart chart = Charts.xy("Mean brightness per image", "mean pixel value (0 black, 1 white)",
                "share of images");
        int bins = histogram.referenceShares().length;
        double[] centres = new double[bins];
        for (int b = 0; b < bins; b++) {
            centres[b] = (histogram.binEdges()[b] + histogram.binEdges()[b + 1]) / 2;
        }
        Charts.points(chart, "reference (training split)", centres, histogram.referenceShares(), Charts.BLUE);
        Charts.points(chart, "new", centres, histogram.newShares(), Charts.ORANGE);
        Charts.fitYAxis(chart);
        chart.getStyler().setXAxisDecimalPattern("0.00").setYAxisDecimalPattern("0.00");
        return chart;
    }

    private static String channelName(int channel, int channels) {
        return channels == 1 ? "gray" : List.of("red", "green", "blue").get(channel);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }

    private static String count(int value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String yesNo(boolean drift) {
        return drift ? "yes" : "no";
    }
}
