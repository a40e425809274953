package dev.keel.benchmarks.onednn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keel.trainer.isa.ConvShape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The channel grid and its options. */
class SweepGridTest {
    @Test
    void channelListsTakeCountsAndRanges() {
        assertEquals(List.of(1, 2, 3, 4, 6, 8), SweepGrid.parseChannels("8, 1-4,6,3"));
        assertEquals(List.of(64), SweepGrid.parseChannels("64"));
    }

    @Test
    void badChannelListsAreRefused() {
        for (String bad : List.of("0", "5-3", "a", "1-", "1-2-3", "")) {
            assertThrows(IllegalArgumentException.class, () -> SweepGrid.parseChannels(bad), bad);
        }
    }

    @Test
    void gridHasEveryPairForEveryKind() {
        List<ConvShape> shapes = SweepGrid.shapes(List.of(1, 2), List.of(3, 4, 5),
                List.of(SweepGrid.Kind.parse("3x3/2"), SweepGrid.Kind.parse("1x1/1")), 8, 16);

        assertEquals(12, shapes.size());
        assertEquals("3x3/2 1->3 8x8 b16 train", shapes.get(0).label());
        assertEquals(4, shapes.get(0).outSize());
        assertEquals("1x1/1 2->5 8x8 b16 train", shapes.get(11).label());
        assertEquals(0, shapes.get(11).padding());
        assertThrows(IllegalArgumentException.class, () -> SweepGrid.Kind.parse("5x5/1"));
    }

    @Test
    void distinctMergesTheUsesOfTheSameWork() {
        ConvShape a = new ConvShape(16, 3, 8, 8, 3, 1, 1, true, List.of("grid"));
        ConvShape b = new ConvShape(16, 3, 8, 8, 3, 1, 1, true, List.of("quickstart.yaml"));
        ConvShape evaluation = new ConvShape(16, 3, 8, 8, 3, 1, 1, false, List.of("quickstart.yaml"));

        assertEquals(List.of(new ConvShape(16, 3, 8, 8, 3, 1, 1, true, List.of("grid", "quickstart.yaml")), evaluation),
                ConvShape.distinct(List.of(a, evaluation, b)));
    }
}
