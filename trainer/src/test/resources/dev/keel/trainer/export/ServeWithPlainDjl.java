import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.DeferredTranslatorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A serving JVM without Keel's trainer: loads an exported Keel model with plain DJL and prints, per
 * input, its name, the predicted class and every class's probability.
 *
 * <p>Arguments: the export (folder or zip), then {@code images FILE_LIST} (one image path a line)
 * or {@code rows CSV} (a header, then rows).
 */
public final class ServeWithPlainDjl {
    public static void main(String[] args) throws Exception {
        try {
            Class.forName("dev.keel.trainer.cli.KeelCli");
            throw new IllegalStateException("Keel's trainer is on the serving classpath");
        } catch (ClassNotFoundException expected) {
            // Only keel-serving, DJL and the engine are here.
        }
        Path model = Path.of(args[0]);
        if (args[1].equals("images")) {
            Criteria<Image, Classifications> criteria = Criteria.builder()
                    .setTypes(Image.class, Classifications.class)
                    .optModelPath(model)
                    .optEngine("PyTorch")
                    .optTranslatorFactory(new DeferredTranslatorFactory())
                    .build();
            try (ZooModel<Image, Classifications> loaded = criteria.loadModel();
                    Predictor<Image, Classifications> predictor = loaded.newPredictor()) {
                for (String file : Files.readAllLines(Path.of(args[2]))) {
                    Image image = ImageFactory.getInstance().fromFile(Path.of(file));
                    print(file, predictor.predict(image));
                }
            }
        } else {
            @SuppressWarnings("rawtypes")
            Criteria<Map, Classifications> criteria = Criteria.builder()
                    .setTypes(Map.class, Classifications.class)
                    .optModelPath(model)
                    .optEngine("PyTorch")
                    .optTranslatorFactory(new DeferredTranslatorFactory())
                    .build();
            List<String> lines = Files.readAllLines(Path.of(args[2]));
            String[] header = lines.get(0).split(",", -1);
            try (@SuppressWarnings("rawtypes") ZooModel<Map, Classifications> loaded = criteria.loadModel();
                    @SuppressWarnings("rawtypes") Predictor<Map, Classifications> predictor = loaded.newPredictor()) {
                for (int i = 1; i < lines.size(); i++) {
                    String[] fields = lines.get(i).split(",", -1);
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int c = 0; c < header.length; c++) {
                        row.put(header[c], fields[c]);
                    }
                    print(args[2] + ":" + (i + 1), predictor.predict(row));
                }
            }
        }
    }

    private static void print(String input, Classifications classifications) {
        StringBuilder line = new StringBuilder(input).append('\t').append(classifications.best().getClassName());
        for (double p : classifications.getProbabilities()) {
            line.append('\t').append(String.format(Locale.ROOT, "%.17g", p));
        }
        System.out.println(line);
    }
}
