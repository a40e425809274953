package dev.keel.tune.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AshaTest {
    private final Asha asha = new Asha(1, 4, 20);

    @Test
    void rungsSitAtGraceTimesPowersOfTheReductionBelowTheLastEpoch() {
        assertEquals(List.of(1, 4, 16), asha.rungs());
        assertEquals(List.of(1, 4), new Asha(1, 4, 5).rungs());
        assertEquals(List.of(2, 8), new Asha(2, 4, 10).rungs());
        assertEquals(1, asha.nextStop(0));
        assertEquals(4, asha.nextStop(1));
        assertEquals(16, asha.nextStop(4));
        assertEquals(20, asha.nextStop(16));
    }

    @Test
    void aPausedTrialGoesOnOnlyOnceItRanksInTheTopQuarterOfItsRung() {
        RungTrial best = paused(0, 1, 0.1);
        List<RungTrial> three = List.of(best, paused(1, 1, 0.5), paused(2, 1, 0.7));
        assertEquals(Optional.empty(), asha.promotable(three), "three trials at a rung: a quarter of them is none");
        List<RungTrial> four = List.of(best, paused(1, 1, 0.5), paused(2, 1, 0.7), paused(3, 1, 0.2));
        assertEquals(Optional.of(best), asha.promotable(four));
    }

    @Test
    void aTrialAlreadyContinuedIsNotPromotedAgainAndTheNextBestWaitsForMoreTrials() {
        RungTrial continued = new RungTrial(0, false, true, 3, Map.of(1, 0.1, 2, 0.1, 3, 0.1));
        List<RungTrial> trials = List.of(continued, paused(1, 1, 0.2), paused(2, 1, 0.7), paused(3, 1, 0.8));
        assertEquals(Optional.empty(), asha.promotable(trials));
    }

    @Test
    void aRungLetsAtMostAQuarterOfItsTrialsGoOnEvenWhenBetterOnesArriveLater() {
        // Trials 0 and 1 went on when they led; trials 6 and 7 now lead rung 1, but eight trials
        // there allow two to go on, and two have.
        List<RungTrial> trials = new java.util.ArrayList<>(List.of(
                new RungTrial(0, true, false, 4, Map.of(1, 0.4, 4, 0.3)),
                new RungTrial(1, false, true, 1, Map.of(1, 0.5))));
        for (int i = 2; i < 6; i++) {
            trials.add(paused(i, 1, 0.9));
        }
        trials.add(paused(6, 1, 0.1));
        trials.add(paused(7, 1, 0.2));
        assertEquals(Optional.empty(), asha.promotable(trials));
        trials.add(paused(8, 1, 0.05)); // nine trials still allow two
        assertEquals(Optional.empty(), asha.promotable(trials));
        for (int i = 9; i < 12; i++) {
            trials.add(paused(i, 1, 0.9));
        }
        assertEquals(8, asha.promotable(trials).orElseThrow().number(), "twelve allow three: the best paused goes on");
    }

    @Test
    void theHighestRungIsServedFirstAndTiesGoToTheLowerNumber() {
        List<RungTrial> trials = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            trials.add(new RungTrial(i, true, false, 4, Map.of(1, 0.0, 4, 0.3)));
        }
        for (int i = 4; i < 16; i++) {
            trials.add(paused(i, 1, 0.5));
        }
        Optional<RungTrial> promoted = asha.promotable(trials);
        assertTrue(promoted.isPresent());
        assertEquals(0, promoted.get().number());
        assertEquals(4, promoted.get().epochsDone());
    }

    private static RungTrial paused(int number, int epoch, double value) {
        return new RungTrial(number, true, false, epoch, Map.of(epoch, value));
    }
}
