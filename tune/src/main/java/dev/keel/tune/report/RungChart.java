package dev.keel.tune.report;

import dev.keel.trainer.plot.Charts;
import dev.keel.tune.store.StudyStore;
import dev.keel.tune.study.Objective;
import dev.keel.tune.study.Trial;
import dev.keel.tune.study.TrialState;
import java.awt.Color;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The intermediate values: each trial's objective after each epoch it trained, a line a trial
 * coloured by where the trial stands, a black square where the pruner paused it, and the rung
 * epochs as dashed grey lines.
 */
final class RungChart {
    static final String PAUSED = "paused at a rung";
    static final String RUNGS = "rungs";
    private static final Map<TrialState, Color> COLORS = new EnumMap<>(Map.of(TrialState.COMPLETE, Charts.GREEN,
            TrialState.PRUNED, Charts.RED, TrialState.PAUSED, Charts.ORANGE, TrialState.RUNNING, Charts.BLUE,
            TrialState.FAILED, Charts.PURPLE));
    private static final Color RUNG = new Color(150, 150, 150);

    private RungChart() {}

    /** The chart, or empty before any trial trained an epoch. */
    static Optional<XYChart> of(List<Trial> trials, List<StudyStore.Decision> decisions, Objective objective,
            List<Integer> rungs, int maxEpochs) {
        List<Trial> trained = trials.stream().filter(t -> !t.objective().isEmpty()).toList();
        if (trained.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = Charts.xy(rungs.isEmpty() ? "Objective by epoch" : "Objective by epoch, rungs dashed", "epoch",
                objective.metric());
        StudyCharts.wholeNumberXAxis(chart, maxEpochs > 1 ? 1 : 0.5, maxEpochs > 1 ? maxEpochs : 1.5,
                Integer::toString);
        List<StudyStore.Decision> paused = decisions.stream()
                .filter(d -> d.decision().equals("paused") && d.value() != null && Double.isFinite(d.value())).toList();
        if (!paused.isEmpty()) {
            Charts.scatter(chart, PAUSED, paused.stream().mapToDouble(StudyStore.Decision::rung).toArray(),
                    paused.stream().mapToDouble(StudyStore.Decision::value).toArray(), Color.BLACK)
                    .setMarker(SeriesMarkers.SQUARE); // under the trials' lines: its corners show around their dots
        }
        Set<TrialState> inLegend = EnumSet.noneOf(TrialState.class);
        for (Trial trial : trained) {
            TreeMap<Integer, Double> values = trial.objective();
            XYSeries line = Charts.line(chart, "trial " + trial.number(),
                    values.keySet().stream().mapToDouble(Integer::doubleValue).toArray(),
                    values.values().stream().mapToDouble(Double::doubleValue).toArray(), COLORS.get(trial.state()));
            line.setLineWidth(1.5f);
            if (values.size() == 1) {
                line.setMarker(SeriesMarkers.CIRCLE);
                line.setMarkerColor(COLORS.get(trial.state()));
            }
            line.setLabel(trial.state().name().toLowerCase(Locale.ROOT));
            line.setShowInLegend(inLegend.add(trial.state()));
        }
        Charts.fitYAxis(chart);
        Double low = chart.getStyler().getYAxisMin();
        Double high = chart.getStyler().getYAxisMax();
        if (low == null || high == null) {
            return Optional.of(chart); // no finite value: no range for the rung lines to span
        }
        double[] range = {low, high};
        for (int rung : rungs) {
            XYSeries line = Charts.line(chart, "rung " + rung, new double[] {rung, rung}, range, RUNG);
            line.setLineStyle(SeriesLines.DASH_DASH);
            line.setLineWidth(1f);
            line.setLabel(RUNGS);
            line.setShowInLegend(rung == rungs.get(0));
        }
        return Optional.of(chart);
    }
}
