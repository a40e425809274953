package dev.keel.trainer.interpret;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV files of interpret/, byte for byte: what people's spreadsheets and scripts read. */
class InterpretationFilesTest {
    private static final String CONFUSION = "true \\ predicted,cat,\"dog, wild\",\"fox \"\"red\"\"\"\n"
            + "cat,1,1,0\n"
            + "\"dog, wild\",0,1,0\n"
            + "\"fox \"\"red\"\"\",1,1,0\n";
    private static final String PER_CLASS = "class,precision,recall,f1,support\n"
            + "cat,0.500000,0.500000,0.500000,2\n"
            + "\"dog, wild\",0.333333,1.00000,0.500000,1\n"
            + "\"fox \"\"red\"\"\",0.00000,0.00000,0.00000,2\n";
    private static final String TOP_LOSSES = "item,true,predicted,confidence,loss\n"
            + "\"cr\rhere.png\",\"fox \"\"red\"\"\",cat,0.700000,1.89712\n"
            + "\"train/cat/x,y.png\",cat,\"dog, wild\",0.600000,1.60944\n"
            + "é #1.png,\"fox \"\"red\"\"\",\"dog, wild\",0.550000,1.49165\n"
            + "\"new\n"
            + "line.png\",\"dog, wild\",\"dog, wild\",0.500000,0.693147\n";
    private static final String REVIEW = "item,true,predicted,confidence,loss\n"
            + "\"new\n"
            + "line.png\",\"dog, wild\",\"dog, wild\",0.500000,0.693147\n"
            + "é #1.png,\"fox \"\"red\"\"\",\"dog, wild\",0.550000,1.49165\n"
            + "\"train/cat/x,y.png\",cat,\"dog, wild\",0.600000,1.60944\n";

    /** Logits whose softmax puts {@code p} on {@code predicted} and splits the rest evenly. */
    private static float[] logits(int predicted, double p) {
        float[] row = new float[3];
        for (int c = 0; c < 3; c++) {
            row[c] = (float) Math.log(c == predicted ? p : (1 - p) / 2);
        }
        return row;
    }

    @Test
    void csvFilesKeepTheirExactBytes(@TempDir Path run) throws Exception {
        // Class and item names with what CSV must quote: commas, quotes, line breaks; and what it must not.
        Predictions predictions = new Predictions(List.of("cat", "dog, wild", "fox \"red\""), new int[] {0, 0, 1, 2, 2},
                new float[][] {logits(0, 0.9), logits(1, 0.6), logits(1, 0.5), logits(0, 0.7), logits(1, 0.55)},
                List.of("train/cat/a b.png", "train/cat/x,y.png", "new\nline.png", "cr\rhere.png", "é #1.png"));
        Path dir = InterpretationFiles.write(Interpretation.of(predictions, 4, 0.65), "test", List.of(), run);
        assertEquals(CONFUSION, Files.readString(dir.resolve("confusion.csv")));
        assertEquals(PER_CLASS, Files.readString(dir.resolve("per_class.csv")));
        assertEquals(TOP_LOSSES, Files.readString(dir.resolve("top_losses.csv")));
        assertEquals(REVIEW, Files.readString(dir.resolve("review.csv")));
    }
}
