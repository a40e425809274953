package dev.keel.datasets.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {
    /** FIPS 180-2's example: SHA-256("abc"). */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void bytesAndFilesHashToTheKnownValue(@TempDir Path temp) throws Exception {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertEquals(ABC, Sha256.of(abc));
        assertEquals(ABC, Sha256.ofFile(Files.write(temp.resolve("abc.txt"), abc)));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                Sha256.ofFile(Files.write(temp.resolve("empty"), new byte[0])));
    }

    @Test
    void aFileLargerThanTheStreamsBufferHashesAsItsBytes(@TempDir Path temp) throws Exception {
        byte[] bytes = new byte[3 * 65_536 + 17];
        new Random(5).nextBytes(bytes);
        assertEquals(Sha256.of(bytes), Sha256.ofFile(Files.write(temp.resolve("large.bin"), bytes)));
    }
}
