package dev.keel.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A process's first choice is the one set and reported; oneDNN keeps the first value it reads. */
class FirstIsaChoiceTest {
    private static final IsaChoice QUICKSTART = new IsaChoice("AVX2", "conv 1 -> 24 (3x3, stride 1): input channels"
            + " not a multiple of 16");
    private static final IsaChoice MLP = new IsaChoice("ALL", "no convolution");

    private final List<String> set = new ArrayList<>();

    @Test
    void theFirstChoiceIsSetInTheNativeEnvironment() {
        FirstIsaChoice process = new FirstIsaChoice(null, (name, value) -> set.add(name + "=" + value));

        assertEquals(QUICKSTART, process.apply(QUICKSTART));
        assertEquals(List.of("ONEDNN_MAX_CPU_ISA=AVX2"), set);
    }

    @Test
    void aLaterChoiceIsToldTheFirstValue() {
        FirstIsaChoice process = new FirstIsaChoice(null, (name, value) -> set.add(value));
        process.apply(MLP);

        IsaChoice second = process.apply(QUICKSTART);

        assertEquals("ALL", second.value());
        assertEquals("set earlier in this process (no convolution); oneDNN keeps the value it read first, so AVX2"
                + " (conv 1 -> 24 (3x3, stride 1): input channels not a multiple of 16) cannot take effect",
                second.reason());
        assertEquals(MLP, process.apply(new IsaChoice("ALL", "no convolution")));
        assertEquals(List.of("ALL"), set, "set once");
    }

    @Test
    void theEnvironmentsValueIsNotSetAgain() {
        FirstIsaChoice process = new FirstIsaChoice("AVX2", (name, value) -> set.add(value));
        IsaChoice fromEnvironment = new IsaChoice("AVX2", "set in the environment");

        assertEquals(fromEnvironment, process.apply(fromEnvironment));
        assertEquals(List.of(), set);
    }

    @Test
    void aValueThatCannotBeSetIsReportedWithWhatIsInEffect() {
        FirstIsaChoice process = new FirstIsaChoice(null, (name, value) -> {
            throw new UnsatisfiedLinkError("no setenv");
        });

        IsaChoice inEffect = process.apply(QUICKSTART);

        assertEquals("ALL", inEffect.value(), "oneDNN runs its best kernels without the variable");
        assertEquals("AVX2 could not be set in this process (java.lang.UnsatisfiedLinkError: no setenv) for"
                + " conv 1 -> 24 (3x3, stride 1): input channels not a multiple of 16; set ONEDNN_MAX_CPU_ISA=AVX2"
                + " in the environment", inEffect.reason());
    }
}
