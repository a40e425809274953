package dev.keel.trainer.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.trainer.fit.GroupRate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** What each chart of a run plots: the data given to XChart. */
class ChartsOfARunTest {

    @Test
    void lossChartsEveryLoggedStepAndEachEpochAtItsLastStep() {
        Map<String, XYSeries> series = LossChart.of(history()).orElseThrow().getSeriesMap();

        assertEquals(List.of(LossChart.STEPS, LossChart.TRAIN, LossChart.VALID), List.copyOf(series.keySet()));
        assertEquals(12, series.get(LossChart.STEPS).getXData().length);
        assertArrayEquals(new double[] {40, 80, 120}, series.get(LossChart.TRAIN).getXData());
        assertArrayEquals(new double[] {1.0, 0.5, 1.0 / 3}, series.get(LossChart.TRAIN).getYData(), 1e-12);
        assertArrayEquals(new double[] {1.1, 0.55, 1.1 / 3}, series.get(LossChart.VALID).getYData(), 1e-12);
    }

    @Test
    void accuracyChartsValidationPerEpochAndTheTestAsALineAcrossThem() {
        Map<String, XYSeries> series = AccuracyChart.of(history()).orElseThrow().getSeriesMap();

        XYSeries valid = series.get(AccuracyChart.VALID);
        assertArrayEquals(new double[] {1, 2, 3}, valid.getXData());
        assertArrayEquals(new double[] {75, 80, 85}, valid.getYData(), 1e-9);
        XYSeries test = series.get("test accuracy 87.12%");
        assertArrayEquals(new double[] {1, 3}, test.getXData());
        assertArrayEquals(new double[] {87.12, 87.12}, test.getYData(), 1e-9);
    }

    @Test
    void withoutValidationOrTestThereIsNoAccuracyChart() {
        MetricsHistory history = new MetricsHistory(List.of(), List.of(new MetricsHistory.Epoch(1, 10, 0.5,
                Double.NaN, Double.NaN)), null);
        assertTrue(AccuracyChart.of(history).isEmpty());
        assertEquals(List.of(LossChart.TRAIN), List.copyOf(LossChart.of(history).orElseThrow().getSeriesMap()
                .keySet()), "a run without validation charts its training loss alone");
    }

    @Test
    void learningRateAndMomentumFollowTheLoggedSteps() {
        MetricsHistory history = history();
        XYSeries lr = LearningRateChart.of(history).orElseThrow().getSeriesMap().get(LearningRateChart.SINGLE);
        XYSeries momentum = MomentumChart.of(history).orElseThrow().getSeriesMap().get(MomentumChart.SERIES);

        assertEquals(0.001 + 0.0001 * 10, lr.getYData()[0], 1e-12);
        assertEquals(0.95 - 0.001 * 120, momentum.getYData()[11], 1e-12);
        assertArrayEquals(lr.getXData(), momentum.getXData());
    }

    @Test
    void aFineTuningRunGetsOneLogScaleLinePerGroupWithAGapWhileFrozen() {
        List<MetricsHistory.Step> steps = new ArrayList<>();
        for (int step = 10; step <= 40; step += 10) {
            boolean frozen = step <= 20;
            steps.add(new MetricsHistory.Step(step, 1.0, 0.01, 0.9, List.of(
                    new GroupRate("body", frozen ? 0.001 : 0.0001, frozen),
                    new GroupRate("head", 0.01, false))));
        }
        XYChart chart = LearningRateChart.of(new MetricsHistory(steps, List.of(), null)).orElseThrow();

        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertEquals(List.of("body", "head"), List.copyOf(chart.getSeriesMap().keySet()));
        double[] body = chart.getSeriesMap().get("body").getYData();
        assertTrue(Double.isNaN(body[0]) && Double.isNaN(body[1]), "no line while frozen");
        assertEquals(0.0001, body[2], 0);
        assertArrayEquals(new double[] {0.01, 0.01, 0.01, 0.01}, chart.getSeriesMap().get("head").getYData(), 0);
    }

    @Test
    void aRunWithoutLinesHasNoCharts() {
        MetricsHistory empty = MetricsHistory.of(List.of());
        assertTrue(LossChart.of(empty).isEmpty());
        assertTrue(AccuracyChart.of(empty).isEmpty());
        assertTrue(LearningRateChart.of(empty).isEmpty());
        assertTrue(MomentumChart.of(empty).isEmpty());
    }

    private static MetricsHistory history() {
        return MetricsHistory.of(FakeRun.metricsLines());
    }
}
