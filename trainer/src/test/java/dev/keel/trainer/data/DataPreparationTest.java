package dev.keel.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.trainer.SampleData;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.DataConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPreparationTest {
    @TempDir
    Path temp;

    @Test
    void anImageFolderRecordsTheSameFingerprintKeptInMemoryOrReadFromItsFiles() throws Exception {
        Path folder = SampleData.imageFolder(temp.resolve("images"), 6);
        ObjectNode kept = provenance(folder, "data.cache=true");
        ObjectNode streamed = provenance(folder, "data.cache=false");
        for (String split : List.of("train_sha256", "test_sha256")) {
            assertTrue(kept.path(split).asText().matches("[0-9a-f]{64}"), kept.toString());
            assertEquals(kept.get(split), streamed.get(split), streamed.toString());
        }
    }

    private static ObjectNode provenance(Path folder, String cache) {
        DataConfig data = ConfigLoader.fromYaml("test.yaml", "data: {format: image-folder, path: " + folder + "}\n",
                List.of(cache)).data();
        return DataPreparation.prepare(data, 3, new DatasetResolver(), new PrintStream(OutputStream.nullOutputStream()),
                false).provenance();
    }
}
