package dev.keel.trainer.interpret;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.trainer.track.CsvWriter;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.WriteFailedException;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * Writes an {@link Interpretation} into a run's {@code interpret/} folder: {@code
 * interpretation.json}, {@code confusion.csv} and {@code .png}, {@code per_class.csv}, {@code
 * top_losses.csv} (and {@code .png} for images) and {@code review.csv}, the queue a person works
 * through.
 */
public final class InterpretationFiles {
    /** The folder in a run directory. */
    public static final String FOLDER = "interpret";
    private static final int TILE = 112;

    private InterpretationFiles() {}

    /**
     * Writes every file.
     *
     * @param split the split interpreted, recorded in the JSON
     * @param topLossImages the images of the top-loss items, in their order, or empty for tables
     */
    public static Path write(Interpretation interpretation, String split, List<BufferedImage> topLossImages,
            Path runDir) {
        Path dir = runDir.resolve(FOLDER);
        try {
            Files.createDirectories(dir);
            writeText(dir.resolve("interpretation.json"),
                    RunDirectory.JSON.writeValueAsString(json(interpretation, split)));
            writeText(dir.resolve("confusion.csv"), confusionCsv(interpretation));
            writeText(dir.resolve("per_class.csv"), CsvWriter.text(List.of("class", "precision", "recall", "f1",
                    "support"), interpretation.perClass(), m -> List.of(m.name(), number(m.precision()),
                            number(m.recall()), number(m.f1()), String.valueOf(m.support()))));
            List<String> itemColumns = List.of("item", "true", "predicted", "confidence", "loss");
            Function<Interpretation.Item, List<String>> itemRow = item -> List.of(item.name(), item.trueClass(),
                    item.predicted(), number(item.confidence()), number(item.loss()));
            writeText(dir.resolve("top_losses.csv"), CsvWriter.text(itemColumns, interpretation.topLosses(), itemRow));
            writeText(dir.resolve("review.csv"), CsvWriter.text(itemColumns, interpretation.review(), itemRow));
            RunDirectory.writeAtomically(dir.resolve("confusion.png"),
                    BitmapEncoder.getBitmapBytes(confusionChart(interpretation), BitmapEncoder.BitmapFormat.PNG));
            Files.deleteIfExists(dir.resolve("top_losses.png"));
            if (!topLossImages.isEmpty()) {
                writePng(dir.resolve("top_losses.png"), grid(interpretation.topLosses(), topLossImages));
            }
        } catch (IOException e) {
            throw WriteFailedException.of(dir, e);
        }
        return dir;
    }

    static ObjectNode json(Interpretation interpretation, String split) {
        ObjectNode json = RunDirectory.JSON.createObjectNode();
        json.put("split", split);
        long items = 0;
        for (Interpretation.ClassMetrics m : interpretation.perClass()) {
            items += m.support();
        }
        json.put("items", items);
        json.put("accuracy", interpretation.accuracy());
        json.putPOJO("classes", interpretation.classes());
        json.putPOJO("confusion", interpretation.confusion());
        ArrayNode perClass = json.putArray("per_class");
        for (Interpretation.ClassMetrics m : interpretation.perClass()) {
            perClass.addObject().put("class", m.name()).put("precision", m.precision()).put("recall", m.recall())
                    .put("f1", m.f1()).put("support", m.support());
        }
        json.put("macro_f1", interpretation.macroF1());
        ArrayNode top = json.putArray("top_losses");
        for (Interpretation.Item item : interpretation.topLosses()) {
            top.addObject().put("item", item.name()).put("true", item.trueClass()).put("predicted", item.predicted())
                    .put("confidence", item.confidence()).put("loss", item.loss());
        }
        json.put("review_below", interpretation.reviewBelow());
        json.put("review_count", interpretation.review().size());
        return json;
    }

    static String confusionCsv(Interpretation interpretation) {
        List<String> header = new ArrayList<>();
        header.add("true \\ predicted");
        header.addAll(interpretation.classes());
        List<List<String>> rows = new ArrayList<>();
        for (int t = 0; t < interpretation.classes().size(); t++) {
            List<String> row = new ArrayList<>();
            row.add(interpretation.classes().get(t));
            for (long count : interpretation.confusion()[t]) {
                row.add(String.valueOf(count));
            }
            rows.add(row);
        }
        return CsvWriter.text(header, rows, r -> r);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }

    /** The confusion matrix as a heat map: true classes down, predicted across, counts in the cells. */
    static HeatMapChart confusionChart(Interpretation interpretation) {
        List<String> classes = interpretation.classes();
        int size = Math.max(420, 80 + 56 * classes.size());
        HeatMapChart chart = new HeatMapChartBuilder().width(size + 120).height(size).title("Confusion matrix")
                .xAxisTitle("predicted").yAxisTitle("true").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(45);
        List<Number[]> cells = new ArrayList<>();
        int k = classes.size();
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                // Row 0 at the top: the y axis counts upwards.
                cells.add(new Number[] {p, k - 1 - t, interpretation.confusion()[t][p]});
            }
        }
        List<String> reversed = new ArrayList<>(classes);
        java.util.Collections.reverse(reversed);
        chart.addSeries("count", classes, reversed, cells);
        return chart;
    }

    /** The top-loss images in a grid, each captioned with its true and predicted class, confidence and loss. */
    static BufferedImage grid(List<Interpretation.Item> items, List<BufferedImage> images) {
        int columns = Math.min(4, images.size());
        int rows = (images.size() + columns - 1) / columns;
        int cellWidth = TILE + 132;
        int cellHeight = TILE + 16;
        BufferedImage grid = new BufferedImage(columns * cellWidth, rows * cellHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = grid.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i < images.size(); i++) {
                int x = (i % columns) * cellWidth + 8;
                int y = (i / columns) * cellHeight + 8;
                g.drawImage(images.get(i), x, y, TILE, TILE, null);
                Interpretation.Item item = items.get(i);
                g.setColor(Color.DARK_GRAY);
                int textX = x + TILE + 6;
                g.drawString(shorten(item.name().substring(item.name().lastIndexOf('/') + 1), 17), textX, y + 14);
                g.drawString("true: " + shorten(item.trueClass(), 12), textX, y + 32);
                g.setColor(new Color(190, 30, 30));
                g.drawString("pred: " + shorten(item.predicted(), 12), textX, y + 50);
                g.setColor(Color.DARK_GRAY);
                g.drawString(String.format(Locale.ROOT, "conf %.2f", item.confidence()), textX, y + 68);
                g.drawString(String.format(Locale.ROOT, "loss %.2f", item.loss()), textX, y + 86);
            }
        } finally {
            g.dispose();
        }
        return grid;
    }

    private static String shorten(String text, int length) {
        return text.length() <= length ? text : "…" + text.substring(text.length() - length + 1);
    }

    private static void writeText(Path file, String text) {
        RunDirectory.writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void writePng(Path file, BufferedImage image) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", png)) {
            throw new IOException("no PNG writer in this JDK");
        }
        RunDirectory.writeAtomically(file, png.toByteArray());
    }
}
