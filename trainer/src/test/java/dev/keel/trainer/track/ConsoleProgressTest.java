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

    /** Every character of both modes, but the rate and the time left, which depend on the clock. */
    @Test
    void theBarAndTheLogLinesKeepTheirExactCharacters() throws Exception {
        double[] losses = {2.0, 1.0, 0.5};
        assertEquals("\r\033[Kepoch 1/2 [========                ] 1/3 loss 2.0000  # samples/s  ETA #"
                + "\r\033[Kepoch 1/2 [================        ] 2/3 loss 1.9500  # samples/s  ETA #"
                + "\r\033[Kepoch 1/2 [========================] 3/3 loss 1.8775  # samples/s  ETA #"
                + "\r\033[Kepoch 1/2  train loss 1.1667  2.5s\n"
                + "\r\033[Kepoch 2/2 [========                ] 1/3 loss 1.8836  # samples/s  ETA #"
                + "\r\033[Kepoch 2/2 [================        ] 2/3 loss 1.8394  # samples/s  ETA #"
                + "\r\033[Kepoch 2/2 [========================] 3/3 loss 1.7725  # samples/s  ETA #"
                + "\r\033[Kepoch 2/2  train loss 1.1667  2.5s\n", drive(true, 1, losses));
        assertEquals("epoch 1/2 step 2/3 loss 1.9500 lr 0.00 # samples/s ETA #\n"
                + "epoch 1/2  train loss 1.1667  2.5s\n"
                + "epoch 2/2 step 2/3 loss 1.8394 lr 0.00 # samples/s ETA #\n"
                + "epoch 2/2  train loss 1.1667  2.5s\n", drive(false, 2, losses));
    }

    /**
     * Two epochs of {@code losses.length} steps, each step over 100 ms after the last so that a
     * terminal redraws every one; the output with the rate and the time left masked.
     */
    private static String drive(boolean terminal, int everySteps, double[] losses) throws InterruptedException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), terminal,
                everySteps);
        Steps loop = new Steps(2, losses.length);
        for (int epoch = 0; epoch < 2; epoch++) {
            progress.onEpochBegin(loop.at(epoch, 0));
            for (int step = 0; step < losses.length; step++) {
                Thread.sleep(terminal ? 110 : 0);
                progress.onStepEnd(loop.at(epoch, step), new StepResult(losses[step], 4, 0.01));
            }
            progress.onEpochEnd(loop.at(epoch, losses.length - 1), new EpochResult(epoch, 1.1667, null, 2.5));
        }
        return bytes.toString(StandardCharsets.UTF_8)
                .replaceAll("[\\d,]+ samples/s( +)ETA \\d+:\\d\\d(:\\d\\d)?", "# samples/s$1ETA #");
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
