package dev.keel.drift.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class subfolders are matched to the model's classes by name or by a file-system-safe form of it. */
class NewImageFolderTest {
    @TempDir
    Path dir;

    @Test
    void aSubfolderNamedInAFileSystemSafeFormLabelsItsImages() throws IOException {
        for (String folder : List.of("t-shirt_top", "Trouser")) {
            Path sub = Files.createDirectories(dir.resolve(folder));
            ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), "png", sub.resolve("a.png").toFile());
        }
        NewImageFolder folder = NewImageFolder.scan(dir, List.of("T-shirt/top", "Trouser"));
        assertEquals(2, folder.files().size());
        for (int i = 0; i < 2; i++) {
            String subfolder = folder.files().get(i).getParent().getFileName().toString();
            assertEquals(subfolder.equals("Trouser") ? 1 : 0, folder.labels()[i], subfolder);
        }
    }
}
