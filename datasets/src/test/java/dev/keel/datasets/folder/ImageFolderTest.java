package dev.keel.datasets.folder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keel.datasets.DataException;
import dev.keel.datasets.LabeledImages;
import dev.keel.datasets.check.DataReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path temp;

    @Test
    void readsEveryFormatGrayOrColourIntoTheConfiguredChannelsAndSize() throws Exception {
        Path root = temp.resolve("formats");
        Path a = Files.createDirectories(root.resolve("train/a"));
        Path b = Files.createDirectories(root.resolve("train/b"));
        int i = 0;
        for (String format : List.of("png", "jpg", "bmp", "gif")) {
            Files.write(a.resolve("x" + i + "." + format), ImageFolders.image(format, 20, 0, i, false));
            Files.write(b.resolve("y" + i + "." + format), ImageFolders.image(format, 20, 1, i, true));
            i++;
        }
        for (int channels : new int[] {1, 3}) {
            DataReport report = new DataReport(root.toString());
            ImageFolder.Loaded loaded = ImageFolder.read(root, channels, 16, false, true, report, null);
            LabeledImages train = loaded.splits().get("train");
            assertEquals(List.of("a", "b"), loaded.classes());
            assertEquals(8, train.count());
            assertEquals(channels, train.channels());
            assertEquals(16, train.height());
            assertEquals(List.of(), report.errors(), report.problems().toString());
            assertEquals(Map.of("a", 4, "b", 4), Map.copyOf(
                    ((com.fasterxml.jackson.databind.node.ObjectNode) report.toJson().get("class_counts").get("train"))
                            .properties().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                                    e -> e.getValue().asInt()))));
            // The squished bar of class a is bright in its rows, dark elsewhere, in every channel.
            int plane = 16 * 16;
            int bright = train.pixels()[6 * 16 + 8] & 0xff;
            int dark = train.pixels()[1 * 16 + 8] & 0xff;
            assertTrue(bright > 200 && dark < 30, bright + " " + dark);
            if (channels == 3) {
                assertEquals(bright, train.pixels()[2 * plane + 6 * 16 + 8] & 0xff, 2);
            }
        }
    }

    @Test
    void everyKindOfBadInputIsReportedWithItsFile() throws Exception {
        Path root = ImageFolders.clean(temp.resolve("messy"), "train", 11, 12);
        Path a = root.resolve("train/a");
        Files.write(a.resolve("empty.png"), new byte[0]);
        Files.writeString(a.resolve("notes.png"), "not an image at all");
        Files.write(a.resolve("cut.png"), ImageFolders.truncated(12));
        Files.writeString(root.resolve("train/README.txt"), "stray");
        Files.createDirectories(root.resolve("train/c"));
        for (int i = 1; i < 11; i++) { // class b keeps one image: 14 against 1
            Files.delete(root.resolve(String.format("train/b/train-%03d.png", i)));
        }
        Files.write(a.resolve("colour.png"), ImageFolders.image("png", 12, 0, 99, true));
        Files.write(a.resolve("big.png"), ImageFolders.image("png", 30, 0, 98, false));
        Files.copy(a.resolve("train-000.png"), a.resolve("copy.png"));
        ImageFolders.clean(root, "test", 1, 12);
        Files.copy(a.resolve("train-001.png"), root.resolve("test/a/leak.png"));
        Files.createDirectories(root.resolve("test/A "));
        Files.write(root.resolve("test/A /x.png"), ImageFolders.image("png", 12, 0, 5, false));

        DataException failure = assertThrows(DataException.class,
                () -> ImageFolder.read(root, 1, 12, false, true, new DataReport(root.toString()), null));
        assertTrue(failure.getMessage().startsWith(root + ": "), failure.getMessage());
        assertTrue(failure.getMessage().contains("c: class \"c\" has no images"), failure.getMessage());

        DataReport report = new DataReport(root.toString());
        ImageFolder.Loaded loaded = ImageFolder.read(root, 1, 12, true, true, report, null);
        assertProblem(report, "empty_file", a.resolve("empty.png"));
        assertProblem(report, "not_an_image", a.resolve("notes.png"));
        assertProblem(report, "unreadable", a.resolve("cut.png"));
        assertProblem(report, "stray_file", root.resolve("train/README.txt"));
        assertProblem(report, "empty_class", root.resolve("train/c"));
        assertProblem(report, "unknown_label", root.resolve("test/A "));
        assertTrue(problem(report, "unknown_label").message().contains("differs from \"a\" only by case or spaces"));
        assertProblem(report, "unexpected_mode", a.resolve("colour.png"));
        assertProblem(report, "unexpected_size", a.resolve("big.png"));
        assertProblem(report, "duplicate", a.resolve("train-000.png"));
        assertProblem(report, "duplicate_across_splits", root.resolve("test/a/leak.png"));
        assertProblem(report, "class_imbalance", root.resolve("train"));
        assertEquals(List.of(a.resolve("cut.png").toString(), a.resolve("empty.png").toString(),
                a.resolve("notes.png").toString()), report.skippedItems().stream().sorted().toList());
        assertEquals(11 + 3 + 1, loaded.splits().get("train").count(), "the good images train");
        assertEquals(List.of("a", "b", "c"), loaded.classes());
    }

    @Test
    void aClassWhoseEveryTrainingImageIsUnusableIsAnErrorEvenWhenBadItemsAreSkipped() throws Exception {
        Path root = ImageFolders.clean(temp.resolve("lost-class"), "train", 3, 12);
        try (var files = Files.list(root.resolve("train/b"))) {
            for (Path file : files.toList()) {
                Files.writeString(file, "not an image");
            }
        }
        DataReport report = new DataReport(root.toString());
        ImageFolder.read(root, 1, 12, true, true, report, null);
        assertProblem(report, ImageFolder.EMPTY_AFTER_SKIPPING, root.resolve("train/b"));
        assertTrue(problem(report, ImageFolder.EMPTY_AFTER_SKIPPING).message()
                .contains("a model cannot learn a class it never sees"));

        DataException failure = assertThrows(DataException.class,
                () -> ImageFolder.read(root, 1, 12, false, true, new DataReport(root.toString()), null));
        String[] lines = failure.getMessage().split("\n");
        assertTrue(lines[0].startsWith(root + ": 3 unusable items (data.bad_items is fail"), failure.getMessage());
        assertTrue(lines[1].contains(root.resolve("train/b").toString()) && lines[1].contains("not an image"),
                "the unusable items are listed: " + failure.getMessage());
    }

    @Test
    void aClassFolderProblemIsCountedAsOneNotAsAnItem() throws Exception {
        Path root = ImageFolders.clean(temp.resolve("empty-class"), "train", 2, 12);
        Files.createDirectories(root.resolve("train/c"));
        DataException failure = assertThrows(DataException.class,
                () -> ImageFolder.read(root, 1, 12, false, true, new DataReport(root.toString()), null));
        assertTrue(failure.getMessage().startsWith(root + ": 1 class folder problem (data.bad_items is fail"),
                failure.getMessage());
    }

    @Test
    void aFolderWithoutTrainIsRefused() {
        DataException e = assertThrows(DataException.class,
                () -> ImageFolder.read(temp, 1, 8, false, true, new DataReport("x"), null));
        assertTrue(e.getMessage().startsWith(temp + ": no train/ folder"), e.getMessage());
    }

    @Test
    void decodingIsTheSameEveryTime() {
        Path root = ImageFolders.clean(temp.resolve("again"), "train", 5, 10);
        byte[] first = ImageFolder.read(root, 3, 8, false, true, new DataReport("x"), null).splits().get("train").pixels();
        byte[] second = ImageFolder.read(root, 3, 8, false, true, new DataReport("x"), null).splits().get("train").pixels();
        assertArrayEquals(first, second);
    }

    @Test
    void everySplitIsFingerprintedTheSameWhetherItsPixelsAreKeptOrNot() throws Exception {
        // Enough files for many decoding tasks, and an unusable one, which the fingerprint leaves out.
        Path root = ImageFolders.clean(temp.resolve("fingerprints"), "train", 150, 10);
        ImageFolders.clean(root, "valid", 3, 10);
        Files.write(root.resolve("train/a/empty.png"), new byte[0]);
        ImageFolder.Loaded kept = ImageFolder.read(root, 3, 8, true, true, new DataReport("x"), null);
        ImageFolder.Loaded notKept = ImageFolder.read(root, 3, 8, true, false, new DataReport("x"), null);
        assertTrue(notKept.splits().isEmpty(), "no pixels kept");
        assertEquals(List.of("train", "valid"), List.copyOf(kept.fingerprints().keySet()));
        assertEquals(kept.fingerprints(), notKept.fingerprints());
        for (String split : List.of("train", "valid")) {
            assertTrue(kept.fingerprints().get(split).matches("[0-9a-f]{64}"), kept.fingerprints().toString());
            assertEquals(kept.splits().get(split).fingerprint(), kept.fingerprints().get(split),
                    "the fingerprint of the images in memory");
        }
        assertEquals(300, kept.splits().get("train").count());
    }

    private static DataReport.Problem problem(DataReport report, String kind) {
        return report.problems().stream().filter(p -> p.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + report.problems()));
    }

    private static void assertProblem(DataReport report, String kind, Path file) {
        assertTrue(report.problems().stream().anyMatch(p -> p.kind().equals(kind) && p.file().equals(file.toString())),
                kind + " for " + file + " in " + report.problems());
    }
}
