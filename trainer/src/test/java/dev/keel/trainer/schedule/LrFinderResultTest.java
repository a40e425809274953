package dev.keel.trainer.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void plotShowsTheCurveAndMarksTheValley(@TempDir Path dir) throws Exception {
        LrFinderResult result = typical(90);
        Path png = dir.resolve(LrFinderResult.PNG);
        LrFindPlot.write(result, png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(LrFindPlot.WIDTH, image.getWidth());
        assertEquals(LrFindPlot.HEIGHT, image.getHeight());
        assertTrue(count(image, new Color(31, 119, 180)) > 300, "the curve is drawn");
        assertTrue(count(image, new Color(214, 39, 40)) > 40, "the valley is marked");
        assertTrue(count(image, Color.BLACK) > 500, "axes, ticks and labels are drawn");
        assertFalse(Files.exists(dir.resolve("." + LrFinderResult.PNG + ".tmp")));
    }

    @Test
    void plotCopesWithASweepOfOnePoint() {
        LrFinderResult result = new LrFinderResult(LrFinder.Settings.DEFAULT, new double[] {1e-7},
                new double[] {2.3}, new double[] {2.3}, LrFinderResult.Stop.NOT_FINITE, LrSuggestions.NONE, 0.1);
        BufferedImage image = LrFindPlot.render(result);
        assertEquals(LrFindPlot.WIDTH, image.getWidth());
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

    private static int count(BufferedImage image, Color color) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (color.getRGB() & 0xffffff)) {
                    count++;
                }
            }
        }
        return count;
    }
}
