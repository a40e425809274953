package dev.keel.trainer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The bundled Fashion-MNIST sample as a folder of IDX files, for tests that train through data.path. */
public final class SampleData {
    private static final String SAMPLE = "/dev/keel/datasets/fashion-mnist-sample/";

    private SampleData() {}

    /** Copies the sample's four files into {@code folder} and returns it. */
    public static Path copyTo(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (String name : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            try (InputStream in = SampleData.class.getResourceAsStream(SAMPLE + name)) {
                Files.copy(in, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return folder;
    }
}
