package dev.keel.trainer.predict;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.gson.JsonObject;
import dev.keel.serving.image.Normalization;
import dev.keel.serving.network.SavedNetwork;
import dev.keel.serving.table.TableTransform;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.engine.OneDnnIsa;
import dev.keel.trainer.track.GsonTrees;
import dev.keel.trainer.track.JsonErrors;
import dev.keel.trainer.track.ModelManifest;
import dev.keel.trainer.track.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The model a run saved, loaded for inference with the preprocessing it was trained with, all read
 * from the run directory ({@code model/keel-model.json}): the network, its classes, its input shape,
 * and the normalisation (images) or table transform (tables). Every loader goes through
 * {@link #open}, which checks the files against {@code model/manifest.json} first and the
 * description against the weights after, so no command answers with a damaged or edited model.
 */
public final class TrainedModel implements AutoCloseable {
    private final Model model;
    private final String name;
    private final ModelConfig architecture;
    private final List<String> classes;
    private final Shape inputShape;
    private final Normalization normalization;
    private final TableTransform tableTransform;

    private TrainedModel(Model model, String name, ModelConfig architecture, List<String> classes, Shape inputShape,
            Normalization normalization, TableTransform tableTransform) {
        this.model = model;
        this.name = name;
        this.architecture = architecture;
        this.classes = classes;
        this.inputShape = inputShape;
        this.normalization = normalization;
        this.tableTransform = tableTransform;
    }

    /**
     * Loads the model of the run in {@code runDir}, warning on standard error when it cannot be
     * checked (saved by an older Keel, without {@code model/manifest.json}).
     *
     * @throws ConfigException naming the run directory or the file of it that keeps the model from loading
     */
    public static TrainedModel open(Path runDir, Device device) {
        return open(runDir, device, warning -> {
            System.err.println("keel: warning: " + warning);
            System.err.flush();
        });
    }

    /**
     * Loads the model of the run in {@code runDir}: its files are checked against their manifest
     * before anything is read, and {@code keel-model.json} against the weights once they are
     * loaded, so a damaged or edited model is refused, never used for wrong answers.
     *
     * @param warnings receives what the user should know about a model that loads all the same
     * @throws ConfigException naming the run directory or the file of it that keeps the model from loading
     */
    public static TrainedModel open(Path runDir, Device device, Consumer<String> warnings) {
        requireFolder(runDir);
        Path modelDir = runDir.resolve("model");
        Path descriptionFile = modelDir.resolve("keel-model.json");
        if (Files.exists(modelDir) && !Files.isDirectory(modelDir)) {
            throw new ConfigException(modelDir + ": is a file (a run saves its model in the folder model/)");
        }
        if (Files.isDirectory(modelDir)) {
            requireReadable(modelDir);
            ModelManifest.verify(modelDir).ifPresent(warnings);
        }
        if (!Files.isRegularFile(descriptionFile)) {
            throw MissingModel.explain(runDir);
        }
        ModelDescriptionFile description = ModelDescriptionFile.read(descriptionFile);
        Model model = Model.newInstance("keel", device);
        try {
            model.setBlock(network(description, model.getNDManager()));
        } catch (RuntimeException e) {
            model.close();
            throw e instanceof ConfigException c ? c : description.invalid("its model section does not build a network ("
                    + firstLine(e) + ")");
        }
        try {
            model.load(modelDir, description.name());
            SavedModelCheck.matches(model, description);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException(SavedModelCheck.weightsFile(modelDir, description.name()) + ": cannot be loaded"
                    + " into the network " + descriptionFile + " describes (" + firstLine(e) + "): the saved model is"
                    + " damaged or does not match its description; retrain it (./keel train "
                    + runDir.resolve("config.yaml") + ")");
        }
        return new TrainedModel(model, description.name(), description.architecture(), description.classes(),
                description.inputShape(), description.normalization(), description.tableTransform());
    }

    /**
     * Refuses a run directory that is not there or not a folder, before anything inside it is read.
     *
     * @throws ConfigException naming it
     */
    public static void requireFolder(Path runDir) {
        if (!Files.exists(runDir)) {
            throw new ConfigException(runDir + ": not found (expected a Keel run directory)");
        }
        if (!Files.isDirectory(runDir)) {
            throw new ConfigException(runDir + ": is a file (expected a Keel run directory)");
        }
        requireReadable(runDir);
    }

    /** A folder whose entries cannot be listed or opened looks empty: say why instead. */
    private static void requireReadable(Path folder) {
        if (!Files.isReadable(folder) || !Files.isExecutable(folder)) {
            throw new ConfigException(folder + ": cannot be read (permission denied)");
        }
    }

    /** An engine's message without the native stack trace some of them carry. */
    static String firstLine(Exception e) {
        if (e instanceof JsonProcessingException json) {
            return JsonErrors.describe(json);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message).strip();
    }

    /**
     * The network as it was trained: built by name, or a pretrained body and its head. oneDNN's
     * instruction-set cap for it is set first, before anything runs it.
     */
    private static Block network(ModelDescriptionFile description, NDManager manager) {
        ModelConfig architecture = description.architecture();
        Shape inputShape = description.inputShape();
        int classes = description.classes().size();
        // A fine-tuned Keel body is a cut of the network its architecture describes; a TorchScript
        // body's convolutions are not known, which caps.
        OneDnnIsa.forDevice(OneDnnIsa.applyFor(architecture, inputShape), manager.getDevice());
        try {
            return SavedNetwork.build(architecture.architecture(), (JsonObject) GsonTrees.toGson(description.transfer()),
                    inputShape, classes, manager);
        } catch (IllegalArgumentException e) {
            throw description.invalid(e.getMessage());
        }
    }

    /** The network, with its trained weights. */
    public Block block() {
        return model.getBlock();
    }

    /** Where inputs and outputs are made. */
    public NDManager manager() {
        return model.getNDManager();
    }

    /** The prefix of the parameter file in {@code model/}: {@code <name>-NNNN.params}. */
    public String name() {
        return name;
    }

    /** The {@code model} section the network was built from. */
    public ModelConfig architecture() {
        return architecture;
    }

    /** One name per class index. */
    public List<String> classes() {
        return classes;
    }

    /** One input's shape: (channels, height, width) for images, (features) for tables. */
    public Shape inputShape() {
        return inputShape;
    }

    /** Whether the model takes images (else table rows). */
    public boolean takesImages() {
        return inputShape.dimension() == 3;
    }

    /** The normalisation images were trained with; null for tables. */
    public Normalization normalization() {
        return normalization;
    }

    /** The table transform rows were trained with; null for images. */
    public TableTransform tableTransform() {
        return tableTransform;
    }

    /** The normalisation as {@code data.normalize} takes it per channel: {@code [[means], [stds]]}. */
    public ArrayNode normalizeSetting() {
        ArrayNode pair = RunDirectory.JSON.createArrayNode();
        ArrayNode mean = pair.addArray();
        ArrayNode std = pair.addArray();
        for (int c = 0; c < normalization.mean().length; c++) {
            mean.add(normalization.mean()[c]);
            std.add(normalization.std()[c]);
        }
        return pair;
    }

    @Override
    public void close() {
        model.close();
    }
}
