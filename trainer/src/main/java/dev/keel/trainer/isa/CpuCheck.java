package dev.keel.trainer.isa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a model's convolutions on this CPU under oneDNN's uncapped instruction set ({@code
 * ONEDNN_MAX_CPU_ISA=ALL}) against float64, in a child JVM (oneDNN reads the cap once per process),
 * and caches the verdict per {@link MachineKey} in a small JSON file. A later model runs the child
 * only for the shapes the cache does not hold yet, and the file gains them.
 */
public final class CpuCheck {
    /** The version of the check: a verdict of another version is not used. */
    public static final int VERSION = 2;
    /** The largest error relative to the float64 reference's scale that passes, as the sweep's default. */
    public static final double TOLERANCE = 1e-4;
    /** libtorch hands a float32 convolution to oneDNN from batch 16 on: smaller batches would not test it. */
    static final int BATCH = 16;
    /** The side of the random images: the channels, kernel and stride decide oneDNN's kernel, not the image. */
    static final int SIZE = 8;
    /** The environment variable that moves the cache folder. */
    public static final String CACHE_VARIABLE = "KEEL_CACHE_DIR";

    /** Runs shapes in a process of their own under {@code ONEDNN_MAX_CPU_ISA=ALL}. */
    public interface Child {
        /** The shapes' errors against float64, in their order; throws when the process cannot run. */
        List<CheckedShape> run(List<ConvShape> shapes) throws IOException;
    }

    /**
     * What the check found for a model's shapes.
     *
     * @param shapes the model's shapes, in its order
     * @param cached whether every one came from the cache (no child JVM ran)
     * @param seconds how long the check took when it ran (the last run's, when cached)
     * @param checkedAt when the check last ran (ISO-8601, UTC)
     */
    public record Result(List<CheckedShape> shapes, boolean cached, double seconds, String checkedAt) {
        /** The first shape that does not match float64 within {@link #TOLERANCE}, if any. */
        public Optional<CheckedShape> firstFailing() {
            return shapes.stream().filter(shape -> !shape.passes(TOLERANCE)).findFirst();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path folder;
    private final MachineKey key;
    private final Child child;
    private final Clock clock;

    /**
     * A check cached in {@code folder} under {@code key}, run by {@code child}, dated by {@code clock}.
     * {@link #forThisMachine()} is the one a command uses.
     */
    public CpuCheck(Path folder, MachineKey key, Child child, Clock clock) {
        this.folder = folder;
        this.key = key;
        this.child = child;
        this.clock = clock;
    }

    /** The check of this machine, cached in {@link #cacheFolder()}, its child started from this JVM's class path. */
    public static CpuCheck forThisMachine() {
        return new CpuCheck(cacheFolder(), MachineKey.current(), JvmChild.ofThisJvm(), Clock.systemUTC());
    }

    /** {@code $KEEL_CACHE_DIR}, else {@code $XDG_CACHE_HOME/keel}, else {@code ~/.cache/keel}. */
    public static Path cacheFolder() {
        String keel = System.getenv(CACHE_VARIABLE);
        if (keel != null && !keel.isBlank()) {
            return Path.of(keel);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("keel");
    }

    /** The shape the check runs for a convolution of these channels, kernel and stride (padding kernel / 2). */
    public static ConvShape shapeOf(int inChannels, int outChannels, int kernel, int stride) {
        return new ConvShape(BATCH, inChannels, outChannels, SIZE, kernel, stride, kernel / 2, true, List.of());
    }

    /** The cache file of this machine. */
    public Path file() {
        return folder.resolve(key.fileName());
    }

    /** The cached verdict for {@code shapes}, when the cache holds every one of them; nothing runs. */
    public Optional<Result> cached(List<ConvShape> shapes) {
        Optional<CheckRecord> record = read();
        if (record.isEmpty()) {
            return Optional.empty();
        }
        Map<String, CheckedShape> known = record.get().byLabel();
        List<CheckedShape> found = new ArrayList<>();
        for (ConvShape shape : shapes) {
            CheckedShape checked = known.get(shape.label());
            if (checked == null) {
                return Optional.empty();
            }
            found.add(checked);
        }
        return Optional.of(new Result(found, true, record.get().seconds(), record.get().checkedAt()));
    }

    /**
     * The verdict for {@code shapes}: from the cache where it holds them, else from a child JVM that
     * checks the shapes the cache lacks, whose results are added to the cache.
     *
     * @throws IOException when the child cannot start, fails, or the cache cannot be written
     */
    public Result run(List<ConvShape> shapes) throws IOException {
        Optional<Result> cached = cached(shapes);
        if (cached.isPresent()) {
            return cached.get();
        }
        Map<String, CheckedShape> known = read().map(CheckRecord::byLabel).orElseGet(LinkedHashMap::new);
        Map<String, ConvShape> missing = new LinkedHashMap<>();
        shapes.stream().filter(shape -> !known.containsKey(shape.label()))
                .forEach(shape -> missing.putIfAbsent(shape.label(), shape));
        long start = System.nanoTime();
        List<CheckedShape> checked = child.run(List.copyOf(missing.values()));
        double seconds = (System.nanoTime() - start) / 1e9;
        checked.forEach(shape -> known.put(shape.shape(), shape));
        String now = Instant.now(clock).toString();
        write(new CheckRecord(key, List.copyOf(known.values()), seconds, now));
        List<CheckedShape> result = new ArrayList<>();
        for (ConvShape shape : shapes) {
            CheckedShape found = known.get(shape.label());
            if (found == null) {
                throw new IOException("the check's JVM did not report " + shape.label());
            }
            result.add(found);
        }
        return new Result(result, false, seconds, now);
    }

    /** The cache file's record; empty when there is none, it cannot be read, or it is for another key. */
    private Optional<CheckRecord> read() {
        Path file = file();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            CheckRecord record = JSON.readValue(file.toFile(), CheckRecord.class);
            return record.key() != null && record.key().equals(key) && record.shapes() != null
                    && record.shapes().stream().allMatch(shape -> shape != null && shape.shape() != null)
                    ? Optional.of(record) : Optional.empty();
        } catch (IOException e) {
            // A corrupt or foreign file is as good as none: the check runs again and rewrites it.
            return Optional.empty();
        }
    }

    private void write(CheckRecord record) throws IOException {
        Files.createDirectories(folder);
        Path temporary = Files.createTempFile(folder, "onednn-check", ".tmp");
        try {
            JSON.writeValue(temporary.toFile(), record);
            Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
