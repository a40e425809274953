package dev.keel.trainer.predict;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.keel.datasets.Normalization;
import dev.keel.datasets.table.TableTransform;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.engine.OneDnnIsa;
import dev.keel.trainer.model.ModelFactory;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.transfer.TransferBlock;
import dev.keel.trainer.transfer.TransferModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The model a run saved, loaded for inference with the preprocessing it was trained with, all read
 * from the run directory ({@code model/keel-model.json}): the network, its classes, its input shape,
 * and the normalisation (images) or table transform (tables).
 */
public final class TrainedModel implements AutoCloseable {
    private final Model model;
    private final List<String> classes;
    private final Shape inputShape;
    private final Normalization normalization;
    private final TableTransform tableTransform;

    private TrainedModel(Model model, List<String> classes, Shape inputShape, Normalization normalization,
            TableTransform tableTransform) {
        this.model = model;
        this.classes = classes;
        this.inputShape = inputShape;
        this.normalization = normalization;
        this.tableTransform = tableTransform;
    }

    /**
     * Loads the model of the run in {@code runDir}.
     *
     * @throws ConfigException naming the run directory when it holds no model Keel can load
     */
    public static TrainedModel open(Path runDir, Device device) {
        Path modelDir = runDir.resolve("model");
        Path descriptionFile = modelDir.resolve("keel-model.json");
        if (!Files.isDirectory(runDir)) {
            throw new ConfigException(runDir + ": not found (expected a Keel run directory)");
        }
        if (!Files.isRegularFile(descriptionFile)) {
            throw new ConfigException(runDir + ": has no trained model (no model/keel-model.json); the run did not"
                    + " complete" + (Files.isDirectory(runDir.resolve("checkpoints"))
                            ? ": finish it with ./keel resume " + runDir : ""));
        }
        JsonNode description;
        try {
            description = RunDirectory.JSON.readTree(descriptionFile.toFile());
        } catch (IOException e) {
            throw new ConfigException(descriptionFile + ": cannot be read: " + e.getMessage());
        }
        List<String> classes = new ArrayList<>();
        description.path("classes").forEach(c -> classes.add(c.asText()));
        List<Long> dims = new ArrayList<>();
        description.path("input_shape").forEach(d -> dims.add(d.asLong()));
        Shape inputShape = new Shape(dims.stream().mapToLong(Long::longValue).toArray());
        if (classes.isEmpty() || dims.isEmpty()) {
            throw new ConfigException(descriptionFile + ": holds no classes or input_shape (written by an older Keel?)");
        }
        Model model = Model.newInstance("keel", device);
        try {
            model.setBlock(network(description, inputShape, classes.size(), model.getNDManager(), descriptionFile));
            model.load(modelDir, description.path("name").asText("model"));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException(modelDir + ": the saved weights cannot be loaded (" + e.getMessage() + ")");
        }
        Normalization normalization = description.has("normalize_mean")
                ? Normalization.fromJson(description.get("normalize_mean"), description.get("normalize_std"))
                : null;
        TableTransform table = description.has("table_transform")
                ? TableTransform.fromJson(description.get("table_transform")) : null;
        return new TrainedModel(model, List.copyOf(classes), inputShape, normalization, table);
    }

    /**
     * The network as it was trained: built by name, or a pretrained body and its head. oneDNN's
     * instruction-set cap for it is set first, before anything runs it.
     */
    private static Block network(JsonNode description, Shape inputShape, int classes, NDManager manager,
            Path file) throws IOException {
        ModelConfig architecture = RunDirectory.JSON.treeToValue(description.get("model"), ModelConfig.class);
        // A fine-tuned Keel body is a cut of the network its architecture describes; a TorchScript
        // body's convolutions are not known, which caps.
        OneDnnIsa.applyFor(architecture, inputShape);
        JsonNode transfer = description.get("transfer");
        if (transfer == null) {
            return ModelFactory.build(architecture, inputShape, classes);
        }
        if (architecture.arch().equals("torchscript")) {
            List<Long> output = new ArrayList<>();
            transfer.path("body_output").forEach(d -> output.add(d.asLong()));
            if (output.isEmpty()) {
                throw new ConfigException(file + ": transfer.body_output is missing (written by an older Keel?)");
            }
            // The module itself is in the parameter file; DJL reads it into this empty block.
            Shape features = new Shape(output.stream().mapToLong(Long::longValue).toArray());
            return new TransferBlock(new PtSymbolBlock((PtNDManager) manager), TransferModel.head(features, classes));
        }
        ModelConfig scratch = new ModelConfig(architecture.arch(), architecture.hidden(), architecture.channels(),
                architecture.dropout(), architecture.layers(), null, architecture.cut());
        return TransferModel.build(scratch, null, null, inputShape, classes, manager.getDevice(), file.toString())
                .block();
    }


    /** The network, with its trained weights. */
    public Block block() {
        return model.getBlock();
    }

    /** Where inputs and outputs are made. */
    public NDManager manager() {
        return model.getNDManager();
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
