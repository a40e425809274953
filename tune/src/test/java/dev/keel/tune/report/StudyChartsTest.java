package dev.keel.tune.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.keel.trainer.plot.Charts;
import dev.keel.tune.prune.Asha;
import dev.keel.tune.space.Choice;
import dev.keel.tune.space.Distribution;
import dev.keel.tune.space.IntRange;
import dev.keel.tune.space.LogUniform;
import dev.keel.tune.space.Uniform;
import dev.keel.tune.store.StudyStore;
import dev.keel.tune.study.Direction;
import dev.keel.tune.study.Objective;
import dev.keel.tune.study.StudyTrials;
import dev.keel.tune.study.Trial;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

/**
 * The study's charts draw for any range and any number of trials. XChart loops forever when two
 * ticks of an axis share a label, and a study's driver must never hang drawing its page.
 */
class StudyChartsTest {
    private static final Duration PROMPTLY = Duration.ofSeconds(20);
    private static final Objective LOSS = new Objective("valid_loss", Direction.MINIMIZE);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void everyParameterChartDrawsAtTheEndsOfItsRangeAndInside() {
        List<Distribution> distributions = List.of(new Uniform(0, 1e-6), new Uniform(-1, 1), new Uniform(0.1, 0.2),
                new LogUniform(1e-3, 5e-3), new LogUniform(1e-8, 1), new IntRange(1, 2, false),
                new IntRange(0, 100_000, false), new IntRange(10, 1000, true), new IntRange(1, 2, true),
                new IntRange(1, 1L << 40, true), new Choice(List.of(JSON.numberNode(1))),
                new Choice(List.of(JSON.numberNode(1), JSON.numberNode(1), JSON.numberNode(1.0))),
                new Choice(List.of(JSON.numberNode(0.5), JSON.numberNode(1), JSON.textNode("(3)"),
                        JSON.numberNode(3))),
                new Choice(IntStream.range(0, 12).mapToObj(i -> (com.fasterxml.jackson.databind.JsonNode)
                        JSON.textNode("a rather long value of a choice, number " + i)).toList()));
        for (Distribution distribution : distributions) {
            for (int trials : new int[] {1, 2, 3, 40}) {
                List<Trial> completed = new ArrayList<>();
                for (int i = 0; i < trials; i++) {
                    double share = trials == 1 ? 0 : (double) i / (trials - 1);
                    completed.add(completed(i, value(distribution, share), 4, 0.5 + share));
                }
                assertDraws(distribution + ", " + trials + " trials", () -> ParameterChart.of("key", distribution,
                        completed, LOSS, Optional.of(completed.get(0))).orElseThrow());
            }
        }
    }

    @Test
    void theHistoryAndTheRungsDrawForOneTrialAndForMany() {
        for (int trials : new int[] {1, 2, 3, 250}) {
            for (int epochs : new int[] {1, 2, 100}) {
                List<Trial> completed = IntStream.range(0, trials)
                        .mapToObj(i -> completed(i, 0.5, epochs, 1.0 / (i + 1))).toList();
                List<StudyStore.Decision> decisions = List.of(new StudyStore.Decision(0, 1, 1.0, "paused", 0));
                List<Integer> rungs = epochs > 1 ? new Asha(1, 3, epochs).rungs() : List.of();
                String what = trials + " trials of " + epochs + " epochs";
                assertDraws("history, " + what, () -> HistoryChart.of(completed, LOSS).orElseThrow());
                assertDraws("rungs, " + what, () -> RungChart.of(completed, decisions, LOSS, rungs, epochs)
                        .orElseThrow());
            }
        }
    }

    private static void assertDraws(String what, java.util.function.Supplier<XYChart> chart) {
        byte[] png = assertTimeoutPreemptively(PROMPTLY, () -> Charts.png(chart.get()), what);
        assertEquals((byte) 0x89, png[0], what);
    }

    /** A trial that trained {@code epochs} epochs to {@code loss}, with {@code value} for "key". */
    private static Trial completed(int number, double value, int epochs, double loss) {
        double[] accuracies = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            accuracies[e] = 1 - loss * (epochs - e) / epochs; // the loss is one minus the accuracy
        }
        return StudyTrials.report(StudyTrials.propose(Path.of("study"), number, Map.of("key", value)), LOSS,
                "completed", 0.9, null, 1, accuracies);
    }

    /** The internal value at {@code share} of the distribution's range. */
    private static double value(Distribution distribution, double share) {
        if (distribution instanceof Uniform u) {
            return u.low() + share * (u.high() - u.low());
        }
        if (distribution instanceof LogUniform l) {
            return Math.exp(Math.log(l.low()) + share * (Math.log(l.high()) - Math.log(l.low())));
        }
        if (distribution instanceof IntRange r) {
            return Math.round(r.low() + share * (r.high() - r.low()));
        }
        return Math.round(share * (((Choice) distribution).values().size() - 1));
    }
}
