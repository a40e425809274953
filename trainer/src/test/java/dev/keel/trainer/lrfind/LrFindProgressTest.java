package dev.keel.trainer.lrfind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.StepResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The sweep's progress, every character of both modes. */
class LrFindProgressTest {
    @Test
    void aTerminalGetsABarRedrawnInPlaceThenCleared() throws Exception {
        assertEquals("\r\033[Klr-find [====                    ] 1/6 lr 1.00e-03 loss 2.0000"
                + "\r\033[Klr-find [========                ] 2/6 lr 3.98e-03 loss 1.4949"
                + "\r\033[Klr-find [============            ] 3/6 lr 1.58e-02 loss 1.1566"
                + "\r\033[K", sweep(new LrFinder.Settings(1e-3, 1, 6), 3, true, 110));
    }

    @Test
    void aLogGetsALineEveryTwentyFiveSteps() throws Exception {
        assertEquals("lr-find step 25/60 lr 1.66e-02 loss 1.0149\n"
                + "lr-find step 50/60 lr 3.10e-01 loss 1.0056\n",
                sweep(new LrFinder.Settings(1e-3, 1, 60), 50, false, 0));
    }

    /** {@code steps} steps of the sweep with losses 2, 1, 0.5, 1, 1, ..., each {@code pauseMillis} after the last. */
    private static String sweep(LrFinder.Settings settings, int steps, boolean terminal, long pauseMillis)
            throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LrFinder finder = new LrFinder(settings, null);
        LrFindProgress progress = new LrFindProgress(finder, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                terminal);
        LoopState state = new LoopState(1, settings.steps(), 4);
        for (int i = 0; i < steps; i++) {
            Thread.sleep(pauseMillis);
            StepResult step = new StepResult(i == 0 ? 2 : i == 2 ? 0.5 : 1, 4, 0.01);
            finder.onStepEnd(state, step);
            progress.onStepEnd(state, step);
        }
        progress.onTrainEnd(state, null);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
