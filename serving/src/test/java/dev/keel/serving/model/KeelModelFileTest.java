package dev.keel.serving.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.keel.serving.table.ColumnType;
import dev.keel.serving.table.TableTransform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keel-model.json as a serving JVM reads it. */
class KeelModelFileTest {
    @TempDir
    Path dir;

    @Test
    void anImageModelGivesItsArchitectureShapeClassesAndNormalisation() throws IOException {
        Files.writeString(dir.resolve(KeelModelFile.FILE_NAME), """
                {"name": "model", "model": {"arch": "cnn", "hidden": [32], "channels": [8, 16], "dropout": 0.25,
                 "layers": 20, "pretrained": null, "cut": null},
                 "input_shape": [1, 28, 28], "normalize_mean": [0.286], "normalize_std": [0.353],
                 "classes": ["T-shirt/top", "Trouser"]}
                """);

        KeelModelFile model = KeelModelFile.read(dir);

        assertEquals("model", model.name());
        assertEquals(List.of(8, 16), model.architecture().channels());
        assertEquals(0.25, model.architecture().dropout());
        assertNull(model.architecture().cut());
        assertNull(model.transfer());
        assertEquals(new Shape(1, 28, 28), model.inputShape());
        assertTrue(model.takesImages());
        assertEquals(List.of("T-shirt/top", "Trouser"), model.classes());
        assertArrayEquals(new float[] {0.353f}, model.normalization().std());
    }

    @Test
    void aTableModelGivesItsTransform() throws IOException {
        TableTransform transform = TableTransform.fit(List.of("x", "label"), Map.of("x", ColumnType.NUMERIC),
                List.of(new String[] {"1", "a"}, new String[] {"3", "b"}));
        JsonObject json = new JsonObject();
        json.addProperty("name", "model");
        JsonObject architecture = new JsonObject();
        architecture.addProperty("arch", "tabular-mlp");
        json.add("model", architecture);
        JsonArray shape = new JsonArray();
        shape.add(1);
        json.add("input_shape", shape);
        JsonArray classes = new JsonArray();
        classes.add("a");
        classes.add("b");
        json.add("classes", classes);
        json.add("table_transform", transform.toJson());
        Files.writeString(dir.resolve(KeelModelFile.FILE_NAME), json.toString());

        KeelModelFile model = KeelModelFile.read(dir);

        assertFalse(model.takesImages());
        assertArrayEquals(transform.apply(new String[] {"2", ""}), model.tableTransform().apply(Map.of("x", "2")));
    }

    @Test
    void aFolderWithoutADescriptionOrWithADamagedOneIsRefusedNamingTheFile() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> KeelModelFile.read(dir));
        assertTrue(missing.getMessage().startsWith(dir.resolve(KeelModelFile.FILE_NAME) + ": not found"),
                missing.getMessage());

        Files.writeString(dir.resolve(KeelModelFile.FILE_NAME), """
                {"model": {"arch": "cnn"}, "input_shape": [4]}""");
        IOException damaged = assertThrows(IOException.class, () -> KeelModelFile.read(dir));
        assertEquals(dir.resolve(KeelModelFile.FILE_NAME) + ": is not a Keel model's description (no classes)",
                damaged.getMessage());
    }
}
