package dev.keel.tune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.tune.TinyStudy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad space or option ends with exit code 2 before any trial starts, naming the key, leaving no study. */
class BadSpaceTest {
    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an unknown config key | 'params: {optimizer.lrr: {uniform: [0.1, 0.2]}}' | params.optimizer.lrr | unknown key",
        "an empty range | 'params: {optimizer.lr: {uniform: [0.1, 0.1]}}' | params.optimizer.lr.uniform | low below high",
        "low above high | 'params: {optimizer.lr: {loguniform: [0.3, 0.1]}}' | params.optimizer.lr.loguniform | low below high",
        "a log range from zero | 'params: {optimizer.lr: {loguniform: [0, 0.1]}}' | params.optimizer.lr.loguniform | above 0",
        "an empty choice | 'params: {model.hidden: {choice: []}}' | params.model.hidden.choice | non-empty list",
        "a value the trainer refuses | 'params: {optimizer.lr: {uniform: [-1.0, 0.1]}}' | params.optimizer.lr = -1.0 | optimizer.lr",
        "a choice the trainer refuses | 'params: {model.hidden: {choice: [[8], [0]]}}' | params.model.hidden = [0] | model.hidden",
        "a fixed value the trainer refuses | 'params: {optimizer.lr: {uniform: [0.1, 0.2]}}\nfixed: {train.epochs: 0}' | fixed.train.epochs | train.epochs",
        "an unknown distribution | 'params: {optimizer.lr: {normal: [0, 1]}}' | params.optimizer.lr | a distribution",
        "an int range of fractions | 'params: {data.batch_size: {int: [8.5, 64]}}' | params.data.batch_size.int | whole numbers",
        "an unknown space key | 'trails: 4\nparams: {optimizer.lr: {uniform: [0.1, 0.2]}}' | trails | unknown key",
        "an unknown sampler | 'sampler: bayes\nparams: {optimizer.lr: {uniform: [0.1, 0.2]}}' | sampler | tpe",
        "a grid over a real range | 'sampler: grid\nparams: {optimizer.lr: {uniform: [0.1, 0.2]}}' | params.optimizer.lr | grid needs choice or int",
        "no params | 'trials: 3' | params | expected a mapping",
        "a grace period past the last epoch | 'grace_epochs: 3\nparams: {optimizer.lr: {uniform: [0.1, 0.2]}}' | grace_epochs | fewer than",
    })
    void aBadSpaceExitsWithTwoNamingItsKeyAndLeavesNoStudy(String what, String space, String key, String expected)
            throws IOException {
        Path config = TinyStudy.write(temp, 3, space.replace("\\n", "\n") + "\n");
        assertRefused(key, expected, config.toString(), "--space", temp.resolve("space.yaml").toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no trials | --trials=0 | --trials",
        "no parallel slots | --parallel=0 | --parallel",
        "an unknown pruner | --pruner=hyperband | --pruner",
        "an unknown sampler | --sampler=bayes | --sampler",
    })
    void aBadOptionExitsWithTwoNamingIt(String what, String option, String named) throws IOException {
        Path config = TinyStudy.write(temp, 3, TinyStudy.space(2));
        assertRefused(named, "expected", config.toString(), "--space", temp.resolve("space.yaml").toString(), option);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a config without a space | no search space",
        "a missing space file | space file not found",
    })
    void aStudyWithoutASpaceExitsWithTwo(String what, String expected) throws IOException {
        Path config = TinyStudy.write(temp, 3, TinyStudy.space(2));
        List<String> args = new ArrayList<>(List.of(config.toString()));
        if (expected.startsWith("space")) {
            args.addAll(List.of("--space", temp.resolve("absent.yaml").toString()));
        }
        assertRefused("", expected, args.toArray(String[]::new));
    }

    private void assertRefused(String key, String expected, String... args) {
        Path studies = temp.resolve("studies");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--studies-root", studies.toString()));
        TinyStudy.Result result = TinyStudy.tune(all.toArray(String[]::new));
        assertEquals(2, result.exit(), result.err() + result.out());
        assertTrue(result.err().contains(key), "names " + key + ": " + result.err());
        assertTrue(result.err().contains(expected), "says " + expected + ": " + result.err());
        assertFalse(result.err().contains("Exception"), result.err());
        assertFalse(Files.exists(studies), "no study folder is left");
    }
}
