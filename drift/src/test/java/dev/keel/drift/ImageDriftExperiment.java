package dev.keel.drift;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.datasets.BatchSource;
import dev.keel.drift.image.DomainClassifier;
import dev.keel.drift.image.DomainClassifierResult;
import dev.keel.drift.image.Embeddings;
import dev.keel.drift.image.ImageDrift;
import dev.keel.drift.image.ImageDriftOptions;
import dev.keel.drift.image.ImageDriftResult;
import dev.keel.drift.image.ImageDriftSection;
import dev.keel.drift.image.MmdResult;
import dev.keel.drift.image.MmdTest;
import dev.keel.drift.image.NewImageFolder;
import dev.keel.drift.prediction.ModelInputs;
import dev.keel.drift.prediction.PredictionDrift;
import dev.keel.drift.prediction.PredictionDriftOptions;
import dev.keel.drift.prediction.PredictionDriftResult;
import dev.keel.drift.prediction.PredictionDriftSection;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.data.PreparedData;
import dev.keel.trainer.predict.TrainedModel;
import dev.keel.trainer.report.Html;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * Measures image and prediction drift on Fashion-MNIST: a short training of a quickstart-like cnn,
 * then its test images as they are, darkened (pixel values halved) and replaced by scikit-learn's
 * 8x8 handwritten digits (squished up to 28x28 as any image of another size is), each against the
 * training split; and the false alarms of the MMD test on two random halves of the test images over
 * 20 seeds. Run by {@code tools/drift_images_experiment.sh}.
 *
 * <p>Arguments: a work folder (the run and the image folders go there; a finished run in it is
 * reused), the folder of Fashion-MNIST's IDX files, scikit-learn's {@code digits.csv.gz}.
 */
public final class ImageDriftExperiment {
    private ImageDriftExperiment() {}

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args[0]);
        Path fashion = Path.of(args[1]);
        Path digits = Path.of(args[2]);
        Files.createDirectories(work);
        Path run = work.resolve("run");
        long start = System.nanoTime();
        if (!Files.isRegularFile(run.resolve("summary.json"))) {
            DriftFixtures.train(run, "{format: idx, path: " + fashion + ", batch_size: 128}",
                    "{arch: cnn, channels: [24, 48], hidden: [128], dropout: 0.25}", 2,
                    "optimizer: {name: adamw, lr: 0.003, weight_decay: 0.01}\nschedule: {name: one-cycle}\n");
            System.out.printf(Locale.ROOT, "trained in %.0f s%n", (System.nanoTime() - start) / 1e9);
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode report = json.createObjectNode();
        report.set("summary", json.readTree(run.resolve("summary.json").toFile()));
        RunConfig config = ConfigLoader.load(run.resolve("config.yaml"), List.of());
        double reviewBelow = config.interpret().reviewBelow();
        try (TrainedModel model = TrainedModel.open(run, Device.cpu(), warning -> {})) {
            PreparedData data = DriftFixtures.prepared(run);
            BatchSource train = data.train();
            ModelInputs valid = ModelInputs.of(data.valid(), model.manager());
            byte[][] test = idxImages(fashion.resolve("t10k-images-idx3-ubyte.gz"));
            int[] labels = idxLabels(fashion.resolve("t10k-labels-idx1-ubyte.gz"));
            Path same = writeFolder(work.resolve("fashion-test"), test, 1.0);
            Path dark = writeFolder(work.resolve("fashion-test-dark"), test, 0.5);
            Path digitFolder = writeDigits(work.resolve("digits"), digits);
            Html html = new Html();
            for (Path folder : List.of(same, dark, digitFolder)) {
                long t = System.nanoTime();
                ImageDriftResult images = ImageDrift.measure(model, train, folder, ImageDriftOptions.defaults());
                ModelInputs inputs = NewImageFolder.scan(folder, model.classes())
                        .modelInputs(model.inputShape(), model.normalization());
                if (folder != digitFolder) {
                    inputs = new ModelInputs(inputs.inputs(), labels); // file i is test image i
                }
                PredictionDriftResult predictions = PredictionDrift.measure(model, valid, inputs, reviewBelow,
                        PredictionDriftOptions.defaults());
                double seconds = (System.nanoTime() - t) / 1e9;
                System.out.printf(Locale.ROOT, "%s: %d images; MMD p %.3f (MMD² %.4f, sigma %.3f); AUC %.3f;"
                        + " KS D %.3f p %.3g; predicted-class shift p %.3g JS %.3f; confidence %.3f;"
                        + " accuracy estimated %.4f [%.4f, %.4f], true %s; %.1f s%n",
                        folder.getFileName(), images.newItems(), images.mmd().pValue(), images.mmd().mmd2(),
                        images.mmd().bandwidth(), images.domainClassifier().auc(), images.brightness().statistic(),
                        images.brightness().pValue(), predictions.classes().pValue(),
                        predictions.classes().jensenShannonDistance(), predictions.confidence().newMean(),
                        predictions.estimate().estimatedAccuracy(), predictions.estimate().lower(),
                        predictions.estimate().upper(), predictions.newAccuracy() == null ? "not known"
                                : String.format(Locale.ROOT, "%.4f", predictions.newAccuracy()), seconds);
                ObjectNode entry = report.putObject(folder.getFileName().toString());
                entry.set("images", json.valueToTree(images));
                entry.set("predictions", json.valueToTree(predictions));
                entry.put("seconds", seconds);
                html.raw("<h1>").text(folder.getFileName().toString()).raw("</h1>\n");
                html.raw(ImageDriftSection.html(images)).raw(PredictionDriftSection.html(predictions));
            }
            report.set("false_alarms", falseAlarms(model, test, json));
            Files.writeString(work.resolve("drift-sections.html"), new Html().open("drift sections", "")
                    .raw(html.toString()).close());
        }
        Files.writeString(work.resolve("experiment.json"), json.writeValueAsString(report));
        System.out.printf(Locale.ROOT, "wrote %s in %.0f s%n", work.resolve("experiment.json"),
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Two random halves of the test images, 500 embeddings drawn from each, MMD-tested (100
     * permutations) and classified, over seeds 0 to 19: how often drift is reported where there is none.
     */
    private static ObjectNode falseAlarms(TrainedModel model, byte[][] test, ObjectMapper json) {
        List<float[]> inputs = new ArrayList<>();
        for (byte[] image : test) {
            inputs.add(NewImageFolder.modelInput(image, model.normalization(), 784));
        }
        double[][] embeddings = Embeddings.of(model.block(), model.manager(), model.inputShape(), inputs, 256);
        ObjectNode result = json.createObjectNode();
        ArrayNode seeds = result.putArray("seeds");
        int mmdAlarms = 0;
        int aucAlarms = 0;
        for (long seed = 0; seed < 20; seed++) {
            int[] order = permutation(test.length, new SplittableRandom(1000 + seed));
            int half = test.length / 2;
            double[][] a = new double[500][];
            double[][] b = new double[500][];
            for (int i = 0; i < 500; i++) {
                a[i] = embeddings[order[i]];
                b[i] = embeddings[order[half + i]];
            }
            MmdResult mmd = MmdTest.test(a, b, 100, 0.05, seed);
            DomainClassifierResult auc = DomainClassifier.test(a, b, 5, 0.55, seed);
            mmdAlarms += mmd.drift() ? 1 : 0;
            aucAlarms += auc.drift() ? 1 : 0;
            ObjectNode one = seeds.addObject();
            one.put("seed", seed);
            one.put("mmd_p", mmd.pValue());
            one.put("auc", auc.auc());
        }
        result.put("mmd_alarms_of_20", mmdAlarms);
        result.put("auc_alarms_of_20", aucAlarms);
        System.out.printf(Locale.ROOT, "false alarms, two halves of the test images, 500 per side: MMD %d of 20,"
                + " domain classifier %d of 20; MMD p-values %s%n", mmdAlarms, aucAlarms,
                seeds.findValuesAsText("mmd_p"));
        return result;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * The images as PNGs directly in {@code folder} (Fashion-MNIST's class "T-shirt/top" cannot
     * name a folder, so the labels go to the predictions from memory instead).
     */
    private static Path writeFolder(Path folder, byte[][] images, double scale) throws IOException {
        if (Files.isDirectory(folder)) {
            return folder;
        }
        Files.createDirectories(folder);
        for (int i = 0; i < images.length; i++) {
            DriftFixtures.writeGray(images[i], p -> (int) Math.round(p * scale),
                    folder.resolve(String.format(Locale.ROOT, "%05d.png", i)));
        }
        return folder;
    }

    /** scikit-learn's 1,797 digits (8x8, values 0-16) as 8x8 grayscale PNGs scaled to 0-255, no labels. */
    private static Path writeDigits(Path folder, Path csv) throws IOException {
        if (Files.isDirectory(folder)) {
            return folder;
        }
        Files.createDirectories(folder);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(csv)),
                StandardCharsets.US_ASCII))) {
            String line;
            int i = 0;
            while ((line = in.readLine()) != null) {
                String[] values = line.split(",");
                byte[] pixels = new byte[64];
                for (int p = 0; p < 64; p++) {
                    pixels[p] = (byte) Math.round(Double.parseDouble(values[p]) * 255 / 16);
                }
                BufferedImage png = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
                png.getRaster().setDataElements(0, 0, 8, 8, pixels);
                ImageIO.write(png, "png", folder.resolve(String.format(Locale.ROOT, "%04d.png", i++)).toFile());
            }
        }
        return folder;
    }

    private static byte[][] idxImages(Path file) throws IOException {
        byte[] bytes = gunzip(file);
        int n = (bytes.length - 16) / 784;
        byte[][] images = new byte[n][];
        for (int i = 0; i < n; i++) {
            images[i] = Arrays.copyOfRange(bytes, 16 + i * 784, 16 + (i + 1) * 784);
        }
        return images;
    }

    private static int[] idxLabels(Path file) throws IOException {
        byte[] bytes = gunzip(file);
        int[] labels = new int[bytes.length - 8];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = bytes[8 + i];
        }
        return labels;
    }

    private static byte[] gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }
}
