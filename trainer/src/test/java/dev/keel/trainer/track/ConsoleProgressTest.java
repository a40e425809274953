package dev.keel.trainer.track;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keel.trainer.fit.EpochResult;
import dev.keel.trainer.fit.LoopState;
import dev.keel.trainer.fit.LoopStates;
import dev.keel.trainer.fit.StepResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
    /** Drives the progress callback over 2 epochs of 7 steps, as the loop would, with a line every 5 steps. */
    @Test
    void plainLinesCountStepsWithinTheEpoch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 5);
        Steps loop = new Steps(2, 7);
        for (int epoch = 0; epoch < 2; epoch++) {
            progress.onEpochBegin(loop.at(epoch, 0));
            for (int step = 0; step < 7; step++) {
                progress.onStepEnd(loop.at(epoch, step), new StepResult(0.5, 4, 0.01));
            }
            progress.onEpochEnd(loop.at(epoch, 6), new EpochResult(epoch, 0.5, null, 1.0));
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().map(l -> l.replaceAll(" lr .*", "")).toList();
        assertEquals(List.of("epoch 1/2 step 5/7 loss 0.5000", "epoch 1/2  train loss 0.5000  1.0s",
                "epoch 2/2 step 5/7 loss 0.5000", "epoch 2/2  train loss 0.5000  1.0s"), lines);
    }

    /** A loop state the test moves from step to step. */
    private static final class Steps {
        private final LoopState state;

        Steps(int epochs, int stepsPerEpoch) {
            state = new LoopState(epochs, stepsPerEpoch, 4);
        }

        LoopState at(int epoch, int step) {
            LoopStates.moveTo(state, epoch, step);
            return state;
        }
    }
}
