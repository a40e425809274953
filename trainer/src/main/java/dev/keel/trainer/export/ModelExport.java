package dev.keel.trainer.export;

import ai.djl.Device;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.keel.serving.KeelBlockFactory;
import dev.keel.serving.KeelTranslatorFactory;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.engine.IsaChoice;
import dev.keel.trainer.predict.ModelReference;
import dev.keel.trainer.predict.TrainedModel;
import dev.keel.trainer.track.ModelManifest;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.WriteFailedException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a finished run's model as a model folder that plain DJL loads with Keel's serving jar
 * alone: the run's {@code model/} files (parameters, {@code keel-model.json}, {@code synset.txt}),
 * the run's {@code provenance.json}, the registry's record of the version when the model came from
 * the registry ({@code registry.json}), {@code serving.properties} naming Keel's block and translator
 * factories, and a {@code manifest.json} of every file's SHA-256. As a folder, or the same files at
 * the root of a {@code .zip}; written under a temporary name and renamed, so the target holds a
 * whole export or nothing.
 */
public final class ModelExport {
    /** djl-serving's file of model properties, read by DJL's model loading. */
    public static final String SERVING_PROPERTIES = "serving.properties";
    /** The registry's record of an exported version. */
    public static final String REGISTRY_FILE = "registry.json";
    /** DJL's file of class names, one a line. */
    private static final String SYNSET = "synset.txt";

    private ModelExport() {}

    /**
     * What was written.
     *
     * @param out the folder or zip file
     * @param files the files in it, by name
     * @param oneDnnIsa oneDNN's instruction-set cap recorded for serving
     */
    public record Exported(Path out, List<String> files, String oneDnnIsa) {}

    /**
     * Exports the model of {@code model}'s run to {@code out}: a folder (absent or empty), or a file
     * whose name ends in {@code .zip} (absent).
     *
     * @param warnings receives what the user should know about a model that loads all the same
     * @throws ConfigException when {@code out} is taken or the run has no model that loads
     * @throws WriteFailedException when the export cannot be written
     */
    public static Exported export(ModelReference model, Path out, Consumer<String> warnings) {
        boolean zip = out.getFileName() != null
                && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip");
        checkTarget(out, zip);
        Path runDir = model.runDir();
        String name;
        String isa;
        List<String> classes;
        // Everything predict checks: the manifest, the description, the weights against the network.
        try (TrainedModel trained = TrainedModel.open(runDir, Device.cpu(), warnings)) {
            name = trained.name();
            classes = trained.classes();
            // The cap Keel chooses for this network, whatever this process's environment says.
            isa = IsaChoice.forModel(trained.architecture(), trained.inputShape(), null).value();
        }
        Path parent = out.toAbsolutePath().getParent();
        Path temp = parent.resolve("." + out.getFileName() + ".tmp-" + UUID.randomUUID());
        Path staging = zip ? parent.resolve("." + out.getFileName() + ".files-" + UUID.randomUUID()) : temp;
        try {
            Files.createDirectories(parent);
            Files.createDirectory(staging);
            List<String> files = writeFiles(model, runDir, name, classes, isa, staging);
            if (zip) {
                zip(staging, temp);
                RunDirectory.deleteRecursively(staging);
            } else if (Files.isDirectory(out)) {
                Files.delete(out); // empty, checked above; rename(2) would replace it too, but not portably
            }
            Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE);
            return new Exported(out, files, isa);
        } catch (IOException e) {
            RunDirectory.deleteQuietly(staging);
            RunDirectory.deleteQuietly(temp);
            throw WriteFailedException.of(out, e);
        }
    }

    private static void checkTarget(Path out, boolean zip) {
        if (zip) {
            if (Files.exists(out)) {
                throw new ConfigException("--out " + out + ": exists; give a new .zip file, or a folder that is absent"
                        + " or empty");
            }
            return;
        }
        if (Files.isRegularFile(out)) {
            throw new ConfigException("--out " + out + ": is a file; give a folder that is absent or empty, or a new"
                    + " .zip file");
        }
        if (Files.isDirectory(out)) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new ConfigException("--out " + out + ": is a folder that is not empty; give a folder that is"
                            + " absent or empty, or a new .zip file");
                }
            } catch (IOException e) {
                throw new ConfigException("--out " + out + ": cannot be read (" + e.getMessage() + ")");
            }
        } else if (Files.exists(out)) {
            throw new ConfigException("--out " + out + ": is neither a folder nor a file");
        }
    }

    private static List<String> writeFiles(ModelReference model, Path runDir, String name, List<String> classes,
            String isa, Path dir) throws IOException {
        Path modelDir = runDir.resolve("model");
        try (Stream<Path> entries = Files.list(modelDir)) {
            for (Path file : entries.filter(Files::isRegularFile).toList()) {
                String fileName = file.getFileName().toString();
                if (!fileName.equals(ModelManifest.FILE) && !fileName.equals(SYNSET) && !fileName.startsWith(".")) {
                    Files.copy(file, dir.resolve(fileName));
                }
            }
        }
        // The classes as keel-model.json names them (the run's synset.txt, where there is one, holds the same).
        Files.write(dir.resolve(SYNSET), classes);
        Path provenance = runDir.resolve("provenance.json");
        if (Files.isRegularFile(provenance)) {
            Files.copy(provenance, dir.resolve("provenance.json"));
        }
        if (model.registryVersion() != null) {
            Files.writeString(dir.resolve(REGISTRY_FILE), json(model) + "\n");
        }
        Files.writeString(dir.resolve(SERVING_PROPERTIES), servingProperties(name, isa));
        ModelManifest.write(dir);
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** djl-serving's layout: arguments as keys, the model loading's options as {@code option.} keys. */
    static String servingProperties(String name, String isa) {
        List<String> lines = new ArrayList<>();
        lines.add("# A Keel model for DJL: load it with keel-serving and DJL's PyTorch engine on the classpath.");
        lines.add("engine=PyTorch");
        lines.add("blockFactory=" + KeelBlockFactory.class.getName());
        lines.add("translatorFactory=" + KeelTranslatorFactory.class.getName());
        lines.add("option.modelName=" + name);
        lines.add("# oneDNN's instruction-set cap Keel chose for this network; ONEDNN_MAX_CPU_ISA set in the");
        lines.add("# environment wins.");
        lines.add(KeelBlockFactory.ONEDNN_ARGUMENT + "=" + isa);
        return String.join("\n", lines) + "\n";
    }

    private static String json(ModelReference model) {
        try {
            return RunDirectory.JSON.writeValueAsString(model.registryVersion());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree is always JSON", e);
        }
    }

    /** The files of {@code dir} at the root of the zip file {@code zip}. */
    private static void zip(Path dir, Path zip) throws IOException {
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream out = new ZipOutputStream(file, StandardCharsets.UTF_8);
                Stream<Path> entries = Files.list(dir)) {
            for (Path entry : entries.sorted().toList()) {
                out.putNextEntry(new ZipEntry(entry.getFileName().toString()));
                Files.copy(entry, out);
                out.closeEntry();
            }
        }
    }
}
