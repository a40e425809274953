package dev.keel.trainer.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class folders named after a model's classes, or a file-system-safe form of them, in the model's order. */
class ClassFoldersTest {
    private static final List<String> FASHION = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");

    @TempDir
    Path temp;

    @Test
    void safeFormsOfTheClassesAreMatchedInTheModelsOrderAndThePairsPrinted() throws IOException {
        Path train = folders("t-shirt_top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
                "ankle_boot");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> order = ClassFolders.match(train, FASHION, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(List.of("t-shirt_top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag",
                "ankle_boot"), order);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("t-shirt_top = T-shirt/top") && printed.contains("ankle_boot = Ankle boot"), printed);
    }

    @Test
    void foldersNamedAsTheClassesKeepTheModelsOrderSilently() throws IOException {
        Path train = folders("b", "a", "c");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(List.of("c", "a", "b"), ClassFolders.match(train, List.of("c", "a", "b"),
                new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void foldersThatAreNotTheClassesOrAreAmbiguousAreNotMatched() throws IOException {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertNull(ClassFolders.match(folders("cat", "dog"), List.of("cat", "bird"), quiet), "a class without a folder");
        assertNull(ClassFolders.match(folders("a-b", "a_b"), List.of("a/b", "c"), quiet), "two folders, one safe name");
        assertNull(ClassFolders.match(folders("x", "y", "z"), List.of("x", "y"), quiet), "a folder of no class");
    }

    private Path folders(String... names) throws IOException {
        Path train = Files.createTempDirectory(temp, "train");
        for (String name : names) {
            Files.createDirectories(train.resolve(name));
        }
        return train;
    }
}
