package dev.keel.trainer.lrfind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.LearningRate;
import dev.keel.trainer.config.RunConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code optimizer.lr: auto} in configs: accepted, kept as written, and never mistaken for a number. */
class AutoLrConfigTest {

    @Test
    void autoIsAcceptedAndWrittenBackAsAuto() {
        RunConfig config = ConfigLoader.fromYaml("auto.yaml", "optimizer: {lr: auto}", List.of());
        assertEquals(LearningRate.AUTO, config.optimizer().lr());
        String yaml = ConfigLoader.toYaml(config);
        assertTrue(yaml.contains("lr: auto"), yaml);
        assertEquals(config, ConfigLoader.fromYaml("config.yaml", yaml, List.of()));
    }

    @Test
    void autoCanBeSetFromTheCommandLineAndANumberStillIsANumber() {
        RunConfig auto = ConfigLoader.fromYaml("run.yaml", "optimizer: {lr: 0.01}", List.of("optimizer.lr=auto"));
        assertTrue(auto.optimizer().lr().auto());
        RunConfig fixed = ConfigLoader.fromYaml("run.yaml", "optimizer: {lr: auto}", List.of("optimizer.lr=3e-4"));
        assertFalse(fixed.optimizer().lr().auto());
        assertEquals(3e-4, fixed.optimizer().lr().value(), 0);
        assertTrue(ConfigLoader.toYaml(fixed).contains("lr: 3.0E-4"), ConfigLoader.toYaml(fixed));
        assertEquals(LearningRate.of(0.003), ConfigLoader.fromYaml("d.yaml", "", List.of()).optimizer().lr(),
                "the default stays 0.003");
        assertEquals(LearningRate.of(1), ConfigLoader.fromYaml("i.yaml", "optimizer: {lr: 1}", List.of())
                .optimizer().lr(), "an integer is a rate too");
    }

    @Test
    void otherWordsAndQuotedNumbersAreRejectedNamingBothChoices() {
        for (String value : List.of("AUTO", "'0.01'", "[0.01]", "true")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> ConfigLoader.fromYaml("bad.yaml", "optimizer: {lr: " + value + "}", List.of()));
            assertTrue(e.getMessage().startsWith("bad.yaml: optimizer.lr: found "), e.getMessage());
            assertTrue(e.getMessage().endsWith(", expected a number > 0, or auto"), e.getMessage());
        }
    }

    @Test
    void theRateOfAnAutoConfigIsNotANumberUntilTheFinderChoosesIt() {
        RunConfig config = ConfigLoader.fromYaml("auto.yaml", "optimizer: {lr: auto}", List.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> config.optimizer().lr().value());
        assertTrue(e.getMessage().contains("auto"), e.getMessage());
        assertEquals(LearningRate.of(0.002), config.optimizer().withLr(0.002).lr());
        assertEquals(config.optimizer().name(), config.optimizer().withLr(0.002).name());
    }
}
