package dev.keel.trainer.lrfind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.trainer.plot.Charts;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYSeries;

/** The finder's files, from a synthetic sweep shaped like a real one. */
class LrFinderResultTest {

    @Test
    void csvHasOneRowPerStepWithItsRateAndLosses() {
        LrFinderResult result = typical(80);
        List<String> lines = result.toCsv().lines().toList();
        assertEquals("step,lr,loss,smoothed_loss", lines.get(0));
        assertEquals(81, lines.size());
        String[] first = lines.get(1).split(",");
        assertEquals("1", first[0]);
        assertEquals(1e-7, Double.parseDouble(first[1]), 0);
        assertEquals(result.losses()[0], Double.parseDouble(first[2]), 0);
        assertEquals(result.smoothedLosses()[79], Double.parseDouble(lines.get(80).split(",")[3]), 0);
    }

    @Test
    void csvKeepsItsExactBytes() {
        double[] lrs = {1e-7, 2.5E-4, 0.001, 1, 10};
        double[] losses = {2.3, 0.5, Double.NaN, Double.POSITIVE_INFINITY, 1234567.0};
        double[] smoothed = {2.3, 1.0E-5, Double.NaN, Double.NEGATIVE_INFINITY, -0.0};
        LrFinderResult result = new LrFinderResult(new LrFinder.Settings(1e-7, 10, 5), lrs, losses, smoothed,
                LrFinderResult.Stop.NOT_FINITE, LrSuggestions.NONE, 1.5);
        assertEquals("""
                step,lr,loss,smoothed_loss
                1,1.0E-7,2.3,2.3
                2,2.5E-4,0.5,1.0E-5
                3,0.001,NaN,NaN
                4,1.0,Infinity,-Infinity
                5,10.0,1234567.0,-0.0
                """, result.toCsv());
    }

    @Test
    void jsonHoldsTheSweepHowItEndedAndEverySuggestion() {
        LrFinderResult result = typical(80);
        ObjectNode json = result.toJson();
        assertEquals(1e-7, json.get("start").asDouble(), 0);
        assertEquals(10, json.get("end").asDouble(), 0);
        assertEquals(100, json.get("steps_requested").asInt());
        assertEquals(80, json.get("steps").asInt());
        assertEquals("diverged", json.get("stop").asText());
        assertEquals(result.suggestions().valley(), json.at("/suggestions/valley").asDouble(), 0);
        assertEquals(result.suggestions().steep(), json.at("/suggestions/steep").asDouble(), 0);
        assertEquals(result.suggestions().minimumDiv10(), json.at("/suggestions/minimum_div_10").asDouble(), 0);
        assertEquals("valley", json.get("suggested_by").asText());
        assertEquals(result.suggestion(), json.get("suggestion").asDouble(), 0);
    }

    @Test
    void theChosenRateIsTheValleyToThreeSignificantDigits() {
        LrFinderResult result = typical(80);
        double valley = result.suggestions().valley();
        assertEquals(valley, result.suggestion(), valley * 5e-3);
        assertEquals(String.format("%.3g", valley), String.format("%.3g", result.suggestion()));
        assertEquals(result.suggestion(), Double.parseDouble(String.format("%.3g", result.suggestion())), 0,
                "the printed rate, given back with --set, is exactly the rate trained with");
    }

    @Test
    void theConfiguredSuggestionIsTheOneTrainedWithRecordedAndMarked() {
        LrFinderResult typical = typical(80);
        LrFinderResult result = new LrFinderResult(new LrFinder.Settings(1e-7, 10, 100, LrSuggestion.MINIMUM_DIV_10),
                typical.lrs(), typical.losses(), typical.smoothedLosses(), typical.stop(), typical.suggestions(),
                typical.seconds());
        double minimumDiv10 = result.suggestions().minimumDiv10();

        assertEquals(String.format("%.3g", minimumDiv10), String.format("%.3g", result.suggestion()));
        assertTrue(Math.abs(result.suggestion() - result.suggestions().valley()) > minimumDiv10 / 10,
                "the curve's valley and minimum/10 differ, so the choice shows");
        assertEquals("minimum_div_10", result.toJson().get("suggested_by").asText());
        assertEquals(result.suggestion(), result.toJson().get("suggestion").asDouble(), 0);
        assertTrue(result.describe().get(1).contains("minimum/10 " + String.format("%.3g", minimumDiv10) + " (chosen)"),
                result.describe().toString());
        assertFalse(result.describe().get(1).contains("valley " + String.format("%.3g",
                result.suggestions().valley()) + " (chosen)"), result.describe().toString());
    }

    @Test
    void aSweepWithoutFiniteLossesSuggestsNothingAndSaysSo() {
        LrFinder.Settings settings = LrFinder.Settings.DEFAULT;
        LrFinderResult result = new LrFinderResult(settings, new double[] {1e-7}, new double[] {Double.NaN},
                new double[] {Double.NaN}, LrFinderResult.Stop.NOT_FINITE,
                LrSuggestions.of(new double[] {1e-7}, new double[] {Double.NaN}, 100), 0.1);
        assertThrows(IllegalStateException.class, result::suggestion);
        assertTrue(result.toJson().get("suggestion").isNull());
        assertTrue(result.describe().get(1).contains("none"), result.describe().toString());
    }

    @Test
    void readSuggestionGivesBackWhatTheJsonRecorded(@TempDir Path dir) throws Exception {
        LrFinderResult result = typical(80);
        Files.writeString(dir.resolve(LrFinderResult.JSON), result.toJson().toString());
        assertEquals(result.suggestion(), LrFinderResult.readSuggestion(dir), 0);
    }

    @Test
    void plotIsAPngOfTheChartSizeWrittenAtomically(@TempDir Path dir) throws Exception {
        Path png = dir.resolve(LrFinderResult.PNG);
        LrFindPlot.write(typical(90), png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
        assertFalse(Files.exists(dir.resolve("." + LrFinderResult.PNG + ".tmp")));
    }

    @Test
    void plotDrawsTheFiniteCurveTheBottomAndEverySuggestionTheChosenOneApart() {
        LrFinderResult typical = typical(90);
        LrFinderResult result = new LrFinderResult(new LrFinder.Settings(1e-7, 10, 100, LrSuggestion.STEEP),
                typical.lrs(), typical.losses(), typical.smoothedLosses(), typical.stop(), typical.suggestions(),
                typical.seconds());
        Map<String, XYSeries> series = LrFindPlot.chart(result).getSeriesMap();

        assertArrayEquals(result.lrs(), series.get(LrFindPlot.CURVE).getXData());
        assertArrayEquals(result.smoothedLosses(), series.get(LrFindPlot.CURVE).getYData());
        LrSuggestions suggestions = result.suggestions();
        Map<LrSuggestion, Double> rates = Map.of(LrSuggestion.VALLEY, suggestions.valley(), LrSuggestion.STEEP,
                suggestions.steep(), LrSuggestion.MINIMUM_DIV_10, suggestions.minimumDiv10(),
                LrSuggestion.BOTTOM_DIV_10, suggestions.bottomDiv10());
        assertEquals(4, Set.copyOf(rates.values()).size(), "four different rates, so each mark shows");
        XYSeries bottom = series.get(String.format(Locale.ROOT, "bottom %.3g-%.3g",
                result.lrs()[suggestions.bottomFrom()], result.lrs()[suggestions.bottomTo()]));
        assertArrayEquals(new double[] {result.lrs()[suggestions.bottomFrom()], result.lrs()[suggestions.bottomTo()]},
                bottom.getXData(), "the bottom that bottom/10 is read from spans its rates");
        for (LrSuggestion suggestion : LrSuggestion.values()) {
            XYSeries mark = series.get(LrFindPlot.label(suggestion, result));
            assertArrayEquals(new double[] {rates.get(suggestion)}, mark.getXData(), suggestion.label());
            boolean chosen = suggestion == LrSuggestion.STEEP;
            assertEquals(chosen, mark.getName().endsWith(" (chosen)"), mark.getName());
            assertEquals(chosen, mark.getMarkerColor().equals(Charts.RED), mark.getName());
        }
        assertEquals(String.format(Locale.ROOT, "steep %.3g (chosen)", suggestions.steep()),
                LrFindPlot.label(LrSuggestion.STEEP, result));
        XYSeries mark = series.get(LrFindPlot.label(LrSuggestion.VALLEY, result));
        assertEquals(result.smoothedLosses()[suggestions.valleyIndex()], mark.getYData()[0], 0,
                "a mark sits on the curve");
    }

    @Test
    void plotShowsMinimumDiv10EvenBeforeTheSweepsFirstRate() {
        LrFinder.Settings settings = LrFinder.Settings.DEFAULT;
        double[] lrs = new double[30];
        double[] losses = new double[30];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = settings.learningRateAt(i);
            losses[i] = 2 + 0.1 * i;
        }
        LrFinderResult rising = new LrFinderResult(settings, lrs, losses, losses, LrFinderResult.Stop.DIVERGED,
                LrSuggestions.of(lrs, losses, settings.steps()), 1.0);
        assertTrue(rising.suggestions().minimumDiv10() < lrs[0], "the loss never fell");
        assertEquals(rising.suggestions().minimumDiv10(), LrFindPlot.chart(rising).getStyler().getXAxisMin(), 0);
    }

    @Test
    void plotLeavesOutWhatIsNotFinite() {
        LrFinderResult typical = typical(60);
        double[] smoothed = typical.smoothedLosses().clone();
        smoothed[50] = Double.NaN;
        LrFinderResult result = new LrFinderResult(typical.settings(), typical.lrs(), typical.losses(), smoothed,
                LrFinderResult.Stop.NOT_FINITE, LrSuggestions.of(typical.lrs(), smoothed, 100), 1.0);
        assertEquals(50, LrFindPlot.chart(result).getSeriesMap().get(LrFindPlot.CURVE).getXData().length);
    }

    @Test
    void plotCopesWithASweepOfOnePointOrNone() {
        for (double loss : new double[] {2.3, Double.NaN}) {
            LrFinderResult result = new LrFinderResult(LrFinder.Settings.DEFAULT, new double[] {1e-7},
                    new double[] {loss}, new double[] {loss}, LrFinderResult.Stop.NOT_FINITE, LrSuggestions.NONE, 0.1);
            BufferedImage image = Charts.image(LrFindPlot.chart(result));
            assertEquals(Charts.WIDTH, image.getWidth());
        }
    }

    @Test
    void aRecordedSweepReadsBackAsItWas(@TempDir Path dir) throws Exception {
        LrFinderResult result = typical(80);
        Files.writeString(dir.resolve(LrFinderResult.CSV), result.toCsv());
        Files.writeString(dir.resolve(LrFinderResult.JSON), result.toJson().toString());

        LrFinderResult read = LrFinderResult.read(dir);

        assertEquals(result.settings(), read.settings());
        assertArrayEquals(result.lrs(), read.lrs());
        assertArrayEquals(result.losses(), read.losses());
        assertArrayEquals(result.smoothedLosses(), read.smoothedLosses());
        assertEquals(result.stop(), read.stop());
        assertEquals(result.suggestions(), read.suggestions());
        assertEquals(result.suggestion(), read.suggestion(), 0);
    }

    @Test
    void tinyRatesAreNeverPrintedAsZero() {
        LrFinder.Settings settings = new LrFinder.Settings(1e-13, 1e-10, 40, LrSuggestion.MINIMUM_DIV_10);
        double[] lrs = new double[40];
        double[] losses = new double[40];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = settings.learningRateAt(i);
            losses[i] = 2.3 - 0.01 * i;
        }
        LrFinderResult result = new LrFinderResult(settings, lrs, losses, losses, LrFinderResult.Stop.COMPLETE,
                LrSuggestions.of(lrs, losses, settings.steps()), 1.0);
        String line = result.describe().get(1);
        assertTrue(line.contains(String.format(java.util.Locale.ROOT, "minimum/10 %.2e (chosen)",
                result.suggestions().minimumDiv10())), line);
        assertFalse(java.util.regex.Pattern.compile(" 0(\\.0*)?( |$)").matcher(line).find(), line);
    }

    /** {@code n} steps of a curve that is flat, falls around 3e-4 and blows up past 1e-1. */
    static LrFinderResult typical(int n) {
        LrFinder.Settings settings = LrFinder.Settings.DEFAULT;
        double[] lrs = new double[n];
        double[] losses = new double[n];
        double[] smoothed = new double[n];
        double average = 0;
        Random noise = new Random(5);
        for (int i = 0; i < n; i++) {
            lrs[i] = settings.learningRateAt(i);
            double x = Math.log10(lrs[i]);
            losses[i] = 0.4 + 1.9 / (1 + Math.exp(2.5 * (x + 3.5))) + 0.05 * Math.exp(3 * (x + 1)) + 0.05
                    * noise.nextGaussian();
            average = 0.98 * average + (1 - 0.98) * losses[i];
            smoothed[i] = average / (1 - Math.pow(0.98, i + 1));
        }
        return new LrFinderResult(settings, lrs, losses, smoothed, LrFinderResult.Stop.DIVERGED,
                LrSuggestions.of(lrs, smoothed, settings.steps()), 4.2);
    }
}
