package dev.keel.drift.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keel.trainer.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void aFileWithoutASectionHasEvidentlysDefaults() throws IOException {
        Path file = Files.writeString(dir.resolve("run.yaml"), "name: x\nseed: 3\n");
        assertEquals(DriftConfig.DEFAULTS, DriftConfigFile.read(file));
        assertEquals(new DriftConfig(0.5, DriftConfig.NumericTest.AUTO, DriftConfig.CategoricalTest.AUTO, 0.05, 0.1,
                0.05, 0.05, 0.1, 1000, 500), DriftConfig.DEFAULTS);
    }

    @Test
    void everyKeyIsRead() throws IOException {
        Path file = Files.writeString(dir.resolve("drift.yaml"), """
                drift:
                  share: 0.3
                  numeric_test: wasserstein
                  categorical_test: z
                  ks_p: 0.01
                  wasserstein: 0.2
                  chi_p: 0.02
                  z_p: 0.03
                  js: 0.15
                  reference_size_limit: 5000
                  image_sample: 200
                """);
        assertEquals(new DriftConfig(0.3, DriftConfig.NumericTest.WASSERSTEIN, DriftConfig.CategoricalTest.Z, 0.01,
                0.2, 0.02, 0.03, 0.15, 5000, 200), DriftConfigFile.read(file));
    }

    @Test
    void valuesOutsideTheirRangeNameTheFileAndKey() throws IOException {
        assertRefused("drift: {share: 0}", "drift.share: found 0, expected a share in (0, 1]");
        assertRefused("drift: {js: 0.9}", "drift.js: found 0.9, expected a distance in (0, 0.8326] (sqrt(ln 2))");
        assertRefused("drift: {reference_size_limit: 2.5}", "drift.reference_size_limit: found 2.5, expected a whole"
                + " number of at least 0");
        assertRefused("drift: {image_sample: 0}", "drift.image_sample: found 0, expected a whole number of at least 1");
        assertRefused("drift: {chi_p: '0.1'}", "drift.chi_p: found \"0.1\", expected a p-value in (0, 1)");
        assertRefused("drift: [ks]", "drift: found [\"ks\"], expected a section of keys");
    }

    private void assertRefused(String yaml, String message) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), yaml + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> DriftConfigFile.read(file));
        assertEquals(true, e.getMessage().startsWith(file + ": " + message), e.getMessage());
    }
}
