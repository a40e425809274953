package dev.keel.tune.sampler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.keel.tune.space.Choice;
import dev.keel.tune.space.Distribution;
import dev.keel.tune.space.IntRange;
import dev.keel.tune.space.LogUniform;
import dev.keel.tune.study.TrialState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The grid: every point once, in a seeded order, never two trials on one point. */
class GridSamplerTest {

    private static Map<String, Distribution> space() {
        Map<String, Distribution> space = new LinkedHashMap<>();
        space.put("optimizer.name", new Choice(List.of(TextNode.valueOf("sgd"), TextNode.valueOf("adam"),
                TextNode.valueOf("adamw"))));
        space.put("batch_size_log2", new IntRange(4, 7, true));
        return space;
    }

    @Test
    void enumeratesEveryPointOnceThenRefuses() {
        GridSampler grid = new GridSampler(space(), 0);
        assertEquals(12, grid.gridSize());
        List<TrialHistory> history = new ArrayList<>();
        Set<Map<String, Double>> seen = new HashSet<>();
        for (int n = 0; n < grid.gridSize(); n++) {
            assertFalse(grid.isExhausted(history));
            Map<String, Double> point = grid.propose(n, history);
            assertEquals(List.of("optimizer.name", "batch_size_log2"), List.copyOf(point.keySet()));
            space().forEach((key, distribution) -> assertTrue(distribution.contains(point.get(key))));
            assertTrue(seen.add(point), "trial " + n + " repeats " + point);
            history.add(Histories.complete(n, point, n));
        }
        assertTrue(grid.isExhausted(history));
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> grid.propose(12, history));
        assertEquals("the grid's 12 points have all been tried", refused.getMessage());
    }

    @Test
    void trialNGetsPointNAndHeldPointsAreSkipped() {
        GridSampler grid = new GridSampler(space(), 0);
        List<Map<String, Double>> order = new ArrayList<>();
        for (int n = 0; n < grid.gridSize(); n++) {
            order.add(grid.propose(n, List.of()));
        }
        assertEquals(12, new HashSet<>(order).size());
        // Side by side: trials 0 to 3 proposed while the earlier ones still run get points 0 to 3.
        List<TrialHistory> running = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            Map<String, Double> point = grid.propose(n, running);
            assertEquals(order.get(n), point);
            running.add(Histories.running(n, point));
        }
        // A trial holding another's point, running or failed: trial 1 gets the first free point instead.
        TrialHistory failedOnPoint1 = new TrialHistory(7, order.get(1), TrialState.FAILED, null, new TreeMap<>());
        List<TrialHistory> history = List.of(Histories.complete(0, order.get(0), 1.0), failedOnPoint1);
        assertEquals(order.get(2), grid.propose(1, history));
        // The trial's own earlier record does not hold its point against it.
        assertEquals(order.get(1), grid.propose(1, List.of(Histories.running(1, order.get(1)))));
    }

    @Test
    void theSeedShufflesTheOrderAndTheConfigOrderDoesNot() {
        List<Map<String, Double>> seed0 = firstPoints(new GridSampler(space(), 0));
        assertEquals(seed0, firstPoints(new GridSampler(space(), 0)));
        assertNotEquals(seed0, firstPoints(new GridSampler(space(), 1)));
        Map<String, Distribution> reversed = new LinkedHashMap<>();
        reversed.put("batch_size_log2", space().get("batch_size_log2"));
        reversed.put("optimizer.name", space().get("optimizer.name"));
        List<Map<String, Double>> reorderedConfig = firstPoints(new GridSampler(reversed, 0));
        for (int i = 0; i < seed0.size(); i++) {
            assertEquals(new TreeMap<>(seed0.get(i)), new TreeMap<>(reorderedConfig.get(i)));
        }
    }

    private static List<Map<String, Double>> firstPoints(GridSampler grid) {
        List<Map<String, Double>> points = new ArrayList<>();
        for (int n = 0; n < 6; n++) {
            points.add(grid.propose(n, List.of()));
        }
        return points;
    }

    @Test
    void refusesRealValuedKeys() {
        Map<String, Distribution> space = space();
        space.put("optimizer.lr", new LogUniform(1e-4, 1e-1));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new GridSampler(space, 0));
        assertTrue(refused.getMessage().contains("optimizer.lr"), refused.getMessage());
        assertTrue(refused.getMessage().contains("grid needs choice or int values"), refused.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new GridSampler(Map.of("steps", new IntRange(1, 10_000_000, false)), 0));
    }
}
