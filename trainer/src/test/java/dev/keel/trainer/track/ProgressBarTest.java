package dev.keel.trainer.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void aBarIsRedrawnInPlaceAtMostEveryHundredMillisecondsUnlessForced() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertTrue(bar.due(false), "the first drawing");
        long drawn = System.nanoTime();
        boolean again = bar.due(false);
        if (System.nanoTime() - drawn < 100_000_000L) {
            assertFalse(again, "drawn less than 100 ms ago");
        }
        assertTrue(bar.due(true), "forced");
        bar.draw("sweep", 0, 7, "a");
        bar.draw("sweep", 5, 7, "b");
        bar.draw("sweep", 7, 7, "c");
        bar.clear();
        assertEquals("\r\033[Ksweep [                        ] 0/7 a\r\033[Ksweep [=================       ] 5/7 b"
                + "\r\033[Ksweep [========================] 7/7 c\r\033[K", bytes.toString(StandardCharsets.UTF_8));
    }
}
