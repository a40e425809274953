package dev.keel.trainer.plot;

import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.WriteFailedException;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Every chart Keel draws starts here: an XChart line chart in one style (white, text large enough
 * to read with two charts side by side on a page, the legend below the plot where it never hides
 * a curve), encoded as PNG. Charts render without a display.
 */
public final class Charts {
    /** Width of every chart, in pixels. */
    public static final int WIDTH = 800;
    /** Height of every chart, in pixels. */
    public static final int HEIGHT = 500;

    /** Series colours (matplotlib's first five), in the order charts use them. */
    public static final Color BLUE = new Color(31, 119, 180);
    public static final Color ORANGE = new Color(255, 127, 14);
    public static final Color GREEN = new Color(44, 160, 44);
    public static final Color RED = new Color(214, 39, 40);
    public static final Color PURPLE = new Color(148, 103, 189);
    private static final Color[] PALETTE = {BLUE, ORANGE, GREEN, RED, PURPLE, new Color(140, 86, 75),
        new Color(227, 119, 194), new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    private Charts() {}

    /**
     * Keel runs on servers and in CI: never ask for a display. Sets headless mode only when the
     * embedding application has not chosen; call it before the first AWT call reads it.
     */
    public static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** An empty line chart of {@link #WIDTH} x {@link #HEIGHT} in Keel's style. */
    public static XYChart xy(String title, String xTitle, String yTitle) {
        headless();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.GRAY);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setChartFontColor(Color.BLACK);
        styler.setAxisTickLabelsColor(Color.BLACK);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 19));
        styler.setChartTitleBoxVisible(false);
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 17));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setSeriesColors(PALETTE);
        styler.setMarkerSize(7);
        styler.setLocale(Locale.ROOT);
        styler.setChartPadding(12);
        styler.setAntiAlias(true);
        styler.setyAxisTickLabelsFormattingFunction(Charts::plain);
        return chart;
    }

    /** The {@code i}th colour of the palette, for series that come in any number (parameter groups). */
    public static Color color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** Adds a line without markers: a curve of many points. */
    public static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineWidth(2f);
        return series;
    }

    /** Adds a line with a marker at each point: a value per epoch. */
    public static XYSeries points(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries series = line(chart, name, x, y, color);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(color);
        return series;
    }

    /** Adds markers without a line: values that are not a curve (one per trial). */
    public static XYSeries scatter(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries series = chart.addSeries(name, x, y);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        series.setMarker(SeriesMarkers.CIRCLE);
        series.setMarkerColor(color);
        return series;
    }

    /**
     * An x axis of training steps, from step 1. Starting it there also keeps XChart from putting a
     * label under every point when the points are equally spaced (a step logged every N steps),
     * which crams the labels together; it picks round numbers instead.
     */
    public static void stepXAxis(XYChart chart) {
        chart.getStyler().setXAxisMin(1.0);
    }

    /**
     * A logarithmic axis, labelled at each power of ten as XChart writes them: {@code 1E-7},
     * {@code 0.01}, {@code 10}.
     */
    public static void logAxis(XYChart chart, boolean xAxis) {
        if (xAxis) {
            chart.getStyler().setXAxisLogarithmic(true).setXAxisLogarithmicDecadeOnly(true);
        } else {
            // A formatting function would make XChart lay the axis out linearly.
            chart.getStyler().setYAxisLogarithmic(true).setYAxisLogarithmicDecadeOnly(true)
                    .setyAxisTickLabelsFormattingFunction(null);
        }
    }

    /**
     * Sets a linear y axis to the finite values of every series, with 5% to spare on each side
     * (none below zero for values that are never negative). XChart would otherwise fit the axis to
     * the values exactly and, when they are equally spaced (two points always are), label each
     * value to all its digits instead of choosing round numbers.
     */
    public static void fitYAxis(XYChart chart) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (XYSeries series : chart.getSeriesMap().values()) {
            for (double y : series.getYData()) {
                if (Double.isFinite(y)) {
                    min = Math.min(min, y);
                    max = Math.max(max, y);
                }
            }
        }
        if (min > max) {
            return;
        }
        double pad = max > min ? (max - min) * 0.05 : Math.max(Math.abs(max) * 0.05, 1e-9);
        chart.getStyler().setYAxisMin(min >= 0 ? Math.max(0, min - pad) : min - pad);
        chart.getStyler().setYAxisMax(max + pad);
    }

    /** {@code 0.05} where XChart's default pattern writes {@code .05}. */
    public static String plain(double value) {
        return BigDecimal.valueOf(value).round(new MathContext(10)).stripTrailingZeros().toPlainString();
    }

    /** The chart as PNG bytes. */
    public static byte[] png(XYChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the chart \"" + chart.getTitle() + "\" as PNG", e);
        }
    }

    /** The chart as an image of {@link #WIDTH} x {@link #HEIGHT} pixels. */
    public static BufferedImage image(XYChart chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Writes PNG bytes to {@code file} as every run file is written ({@link
     * RunDirectory#writeAtomically}): a temporary file renamed, none left by a failed write.
     *
     * @throws WriteFailedException naming {@code file} (and whether the disk is full)
     */
    public static void write(byte[] png, Path file) {
        RunDirectory.writeAtomically(file, png);
    }
}
