package dev.keel.trainer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.keel.trainer.KeelRun;
import dev.keel.trainer.SampleData;
import dev.keel.trainer.TinyRuns;
import dev.keel.trainer.docs.JavaExample;
import dev.keel.trainer.predict.Prediction;
import dev.keel.trainer.predict.Predictor;
import dev.keel.trainer.predict.TrainedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Serving a Keel model with plain DJL": its program, compiled as it is written against
 * the serving class path alone and run in a fresh JVM on an export, prints the class and
 * probability {@code keel predict} gives.
 */
class ServingReadmeExampleTest {
    @TempDir
    Path temp;

    @Test
    void theReadmeProgramServesAnExportAsKeelPredicts() throws Exception {
        JavaExample example = JavaExample.under(JavaExample.ROOT.resolve("README.md"),
                "## Serving a Keel model with plain DJL");
        Path classes = ServingJvm.compile(example.className(), example.source(), temp.resolve("example"));

        Path images = SampleData.imageFolder(temp.resolve("images"), 3);
        Path run = TinyRuns.images(temp.resolve("run"), images, Files.createDirectories(temp.resolve("data")));
        Path export = temp.resolve("export.zip");
        KeelRun exported = KeelRun.of("export", run.toString(), "--out", export.toString());
        assertEquals(0, exported.exit(), exported.output());
        Path image;
        try (Stream<Path> files = Files.walk(images.resolve("test"))) {
            image = files.filter(f -> f.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        }

        String[] printed = ServingJvm.run(classes, example.className(), temp, export.toString(), image.toString())
                .strip().split(" ");
        List<Prediction> keel = new ArrayList<>();
        try (TrainedModel model = TrainedModel.open(run, Device.cpu())) {
            assertTrue(new Predictor(model, 1).predict(List.of(image), ',', false, keel::add).isEmpty());
        }
        assertEquals(keel.get(0).predicted(), printed[0]);
        assertEquals(keel.get(0).confidence(), Double.parseDouble(printed[1]), 1e-6);
    }
}
