package dev.keel.trainer.checkpoint;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.datasets.fingerprint.Sha256;
import dev.keel.trainer.model.ParameterNames;
import dev.keel.trainer.model.TorchScriptModules;
import dev.keel.trainer.model.WeightSnapshot;
import dev.keel.trainer.optim.KeelOptimizer;
import dev.keel.trainer.optim.OptimizerState;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.WriteFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The checkpoints of a run, in {@code <run>/checkpoints/step-NNNNNNNN/}: weights, optimizer state
 * and loop state, each file listed with its SHA-256 in {@code manifest.json} with the format
 * version. A checkpoint is written into a temporary folder, every file and the folder are synced,
 * and only then is the folder renamed into place: a crash leaves either the whole checkpoint or
 * none.
 */
public final class CheckpointStore {
    /** The format version written into every manifest; loading refuses other versions. */
    public static final int FORMAT_VERSION = 1;
    static final String WEIGHTS = "weights.ndlist";
    static final String OPTIMIZER = "optimizer.ndlist";
    static final String STATE = "state.json";
    static final String MANIFEST = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "step-";

    private final Path root;
    private final Consumer<String> warnings;

    /**
     * @param root the checkpoints folder (created on first save)
     * @param warnings where to report checkpoints that are skipped as corrupt
     */
    public CheckpointStore(Path root, Consumer<String> warnings) {
        this.root = root;
        this.warnings = warnings;
    }

    /** The checkpoints folder. */
    public Path root() {
        return root;
    }

    /**
     * Writes a checkpoint of {@code globalStep} completed steps, replacing one of the same step.
     *
     * @param state the loop and callback state; {@code format_version} and {@code global_step} are added
     */
    public Checkpoint save(long globalStep, Block block, KeelOptimizer optimizer, ObjectNode state,
            NDManager manager) {
        String name = name(globalStep);
        Path temp = root.resolve("." + name + ".tmp");
        Path target = root.resolve(name);
        try (NDManager scope = manager.newSubManager()) {
            Files.createDirectories(root);
            RunDirectory.deleteRecursively(temp);
            Files.createDirectories(temp);
            state.put("format_version", FORMAT_VERSION);
            state.put("global_step", globalStep);
            OptimizerState optimizerState = optimizer.exportState(ParameterNames.byId(block), scope);
            ObjectNode optimizerJson = state.putObject("optimizer");
            optimizerJson.put("learning_rate", optimizerState.learningRate());
            optimizerJson.put("momentum", optimizerState.momentum());
            optimizerJson.put("arrays", optimizerState.arrays().size());
            optimizerJson.set("steps", JSON.valueToTree(optimizerState.steps()));
            Map<String, String> sums = new TreeMap<>();
            sums.put(WEIGHTS, write(temp.resolve(WEIGHTS), WeightSnapshot.take(block, scope).encode()));
            sums.put(OPTIMIZER, write(temp.resolve(OPTIMIZER), optimizerState.arrays().encode()));
            var module = TorchScriptModules.find(block);
            if (module.isPresent()) {
                sums.put(TorchScriptModules.FILE, write(temp.resolve(TorchScriptModules.FILE),
                        TorchScriptModules.bytes(module.get())));
            }
            sums.put(STATE, write(temp.resolve(STATE), JSON.writeValueAsBytes(state)));
            ObjectNode manifest = JSON.createObjectNode();
            manifest.put("format_version", FORMAT_VERSION);
            manifest.put("global_step", globalStep);
            manifest.set("sha256", JSON.valueToTree(sums));
            write(temp.resolve(MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            sync(temp);
            if (Files.exists(target)) {
                RunDirectory.deleteRecursively(target);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            sync(root);
            return new Checkpoint(target, globalStep, state);
        } catch (IOException e) {
            RunDirectory.deleteQuietly(temp);
            throw WriteFailedException.of(target, e);
        }
    }

    /** Every checkpoint whose manifest and checksums hold, newest first; corrupt ones are reported and skipped. */
    public List<Checkpoint> valid() {
        List<Checkpoint> found = new ArrayList<>();
        for (Path dir : folders()) {
            verify(dir).ifPresent(found::add);
        }
        return found;
    }

    /** The newest checkpoint whose checksums hold. */
    public Optional<Checkpoint> latest() {
        for (Path dir : folders()) {
            Optional<Checkpoint> checkpoint = verify(dir);
            if (checkpoint.isPresent()) {
                return checkpoint;
            }
        }
        return Optional.empty();
    }

    /**
     * Loads a checkpoint's weights and optimizer state into {@code block} and {@code optimizer},
     * in place and exactly.
     */
    public void restore(Checkpoint checkpoint, Block block, KeelOptimizer optimizer, NDManager manager) {
        try (NDManager scope = manager.newSubManager()) {
            NDList weights = NDList.decode(scope, Files.readAllBytes(checkpoint.dir().resolve(WEIGHTS)));
            WeightSnapshot.restore(block, weights);
            JsonNode optimizerJson = checkpoint.state().get("optimizer");
            // DJL cannot decode an empty list: a checkpoint from before the first update holds no state.
            NDList arrays = optimizerJson.path("arrays").asInt() == 0 ? new NDList()
                    : NDList.decode(scope, Files.readAllBytes(checkpoint.dir().resolve(OPTIMIZER)));
            Map<String, Integer> steps = new TreeMap<>();
            optimizerJson.get("steps").fields().forEachRemaining(e -> steps.put(e.getKey(), e.getValue().asInt()));
            optimizer.importState(new OptimizerState(arrays, steps, optimizerJson.get("learning_rate").asDouble(),
                    optimizerJson.get("momentum").asDouble()), ParameterNames.byName(block));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + checkpoint.dir(), e);
        }
    }

    /**
     * Deletes checkpoints beyond the newest {@code keepLast} and the {@code keepBest} best by
     * metric ({@code lowerIsBetter} says which way); checkpoints without a metric count only as recent.
     * Corrupt checkpoints and the temporary folders of interrupted saves go too: nothing can
     * resume from them, and they would be reported again at every save.
     */
    public void prune(int keepLast, int keepBest, boolean lowerIsBetter) {
        List<Checkpoint> all = new ArrayList<>();
        for (Path dir : folders()) {
            Optional<Checkpoint> checkpoint = verify(dir);
            if (checkpoint.isPresent()) {
                all.add(checkpoint.get());
            } else {
                delete(dir, "removed corrupt checkpoint ");
            }
        }
        try (Stream<Path> entries = Files.list(root)) {
            entries.filter(p -> p.getFileName().toString().startsWith("." + PREFIX)).forEach(temp ->
                    delete(temp, "removed the unfinished checkpoint "));
        } catch (IOException e) {
            warnings.accept("could not list " + root + ": " + e.getMessage());
        }
        List<Checkpoint> keep = new ArrayList<>(all.subList(0, Math.min(keepLast, all.size())));
        Comparator<Checkpoint> byMetric = Comparator.comparingDouble(Checkpoint::metric);
        all.stream().filter(c -> !Double.isNaN(c.metric()))
                .sorted(lowerIsBetter ? byMetric : byMetric.reversed())
                .limit(keepBest)
                .forEach(keep::add);
        for (Checkpoint checkpoint : all) {
            if (!keep.contains(checkpoint)) {
                delete(checkpoint.dir(), null);
            }
        }
    }

    private void delete(Path dir, String announce) {
        try {
            RunDirectory.deleteRecursively(dir);
            if (announce != null) {
                warnings.accept(announce + dir);
            }
        } catch (IOException e) {
            warnings.accept("could not delete old checkpoint " + dir + ": " + e.getMessage());
        }
    }

    private List<Path> folders() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(PREFIX) && Files.isDirectory(p))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private Optional<Checkpoint> verify(Path dir) {
        try {
            Path manifestFile = dir.resolve(MANIFEST);
            if (!Files.isRegularFile(manifestFile)) {
                warnings.accept("skipping checkpoint " + dir + ": no manifest.json");
                return Optional.empty();
            }
            JsonNode manifest = JSON.readTree(manifestFile.toFile());
            int version = manifest.path("format_version").asInt(-1);
            if (version != FORMAT_VERSION) {
                warnings.accept("skipping checkpoint " + dir + ": format version " + version + ", this Keel reads "
                        + FORMAT_VERSION);
                return Optional.empty();
            }
            JsonNode sums = manifest.get("sha256");
            List<String> files = new java.util.ArrayList<>(List.of(WEIGHTS, OPTIMIZER, STATE));
            if (sums != null && sums.has(TorchScriptModules.FILE)) {
                files.add(TorchScriptModules.FILE);
            }
            for (String file : files) {
                Path path = dir.resolve(file);
                if (sums == null || !sums.has(file) || !Files.isRegularFile(path)) {
                    warnings.accept("skipping checkpoint " + dir + ": " + file + " is missing");
                    return Optional.empty();
                }
                String actual = Sha256.ofFile(path);
                if (!actual.equals(sums.get(file).asText())) {
                    warnings.accept("skipping checkpoint " + dir + ": " + file + " fails its SHA-256 check (corrupt)");
                    return Optional.empty();
                }
            }
            JsonNode state = JSON.readTree(dir.resolve(STATE).toFile());
            // The manifest is not checksummed itself: its step must agree with the folder's name
            // and with state.json's, which is.
            long step = state.path("global_step").asLong(-1);
            if (manifest.path("global_step").asLong(-2) != step || !dir.getFileName().toString().equals(name(step))) {
                warnings.accept("skipping checkpoint " + dir + ": manifest.json says step "
                        + manifest.path("global_step") + ", state.json says " + step + " (edited or corrupt)");
                return Optional.empty();
            }
            return Optional.of(new Checkpoint(dir, step, state));
        } catch (IOException | RuntimeException e) {
            warnings.accept("skipping checkpoint " + dir + ": unreadable (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    private static String write(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        return Sha256.of(bytes);
    }

    private static void sync(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static String name(long globalStep) {
        return String.format("%s%08d", PREFIX, globalStep);
    }
}
