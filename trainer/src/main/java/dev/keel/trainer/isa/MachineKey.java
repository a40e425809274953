package dev.keel.trainer.isa;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Properties;

/**
 * What a per-CPU check's verdict holds for: the CPU's model name, a hash of all its flags, the
 * libtorch version and the version of the check. A verdict found under another key is not used.
 *
 * @param cpuModel for example {@code AMD EPYC 7B13}
 * @param cpuFlags the first 16 hex digits of the SHA-256 of the sorted flags of {@code /proc/cpuinfo}
 * @param libtorch for example {@code 2.7.1}
 * @param checkVersion {@link CpuCheck#VERSION}
 */
public record MachineKey(@JsonProperty("cpu_model") String cpuModel, @JsonProperty("cpu_flags") String cpuFlags,
        @JsonProperty("libtorch") String libtorch, @JsonProperty("check_version") int checkVersion) {

    /** This machine's key. */
    public static MachineKey current() {
        String cpuinfo;
        try {
            cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            cpuinfo = "";
        }
        return of(cpuinfo, libtorchVersion());
    }

    /** The key of the CPU {@code cpuinfo} (the text of {@code /proc/cpuinfo}) describes, with {@code libtorch}. */
    public static MachineKey of(String cpuinfo, String libtorch) {
        String flags = "";
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("flags") && line.indexOf(':') > 0) {
                String[] sorted = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
                Arrays.sort(sorted);
                flags = String.join(" ", sorted);
                break;
            }
        }
        return new MachineKey(CpuInfo.parse(cpuinfo).model(), sha256(flags).substring(0, 16), libtorch,
                CpuCheck.VERSION);
    }

    /** The cache file's name for this key: the same key, the same file. */
    String fileName() {
        return "onednn-check-" + sha256(cpuModel + "|" + cpuFlags + "|" + libtorch + "|" + checkVersion)
                .substring(0, 16) + ".json";
    }

    /** The libtorch version DJL's PyTorch engine loads, read from its jar without starting it. */
    private static String libtorchVersion() {
        try (InputStream in = MachineKey.class.getResourceAsStream("/pytorch-engine.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("pytorch_version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
