package dev.keel.trainer.transfer;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.keel.serving.network.FineTuned;
import dev.keel.serving.network.TransferBlock;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.model.ModelFactory;
import dev.keel.trainer.model.WeightSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A network for transfer learning: a body (pretrained, or freshly initialised for a baseline) and
 * a new head for this data's classes. Head surgery keeps a Keel or DJL network's top-level layers
 * before the cut (by default: before its last linear layer); a TorchScript module is opaque, so the
 * whole module is the body and the head goes over its output (features, or the old logits).
 *
 * <p>The pretrained weights live in the loading model's memory, which this object holds open
 * until the run ends.
 */
public final class TransferModel implements AutoCloseable {
    private final TransferBlock block;
    private final Model holder;
    private final String description;
    private final ModelConfig architecture;
    private final Shape bodyOutput;

    private TransferModel(TransferBlock block, Model holder, String description, ModelConfig architecture,
            Shape bodyOutput) {
        this.block = block;
        this.holder = holder;
        this.description = description;
        this.architecture = architecture;
        this.bodyOutput = bodyOutput;
    }

    /** The shape of the body's output for one input: what the head was built for. */
    public Shape bodyOutput() {
        return bodyOutput;
    }

    /**
     * The architecture the body was cut from (a Keel source's own, not the config's), with the
     * source and the cut; null for a TorchScript body.
     */
    public ModelConfig architecture() {
        return architecture;
    }

    /** The network: body and new head. */
    public TransferBlock block() {
        return block;
    }

    /** One line on what the body is and what the head became, for the console. */
    public String description() {
        return description;
    }

    /**
     * Builds the network.
     *
     * @param source the pretrained weights, or null for a randomly initialised body of {@code config}'s architecture
     * @param torchScript a TorchScript file to load instead of the source's (a checkpoint's copy of
     *     the module, with its batch-norm statistics), or null
     * @param itemShape one input's shape, as the data gives it
     * @throws ConfigException when the weights cannot be read or do not fit the data
     */
    public static TransferModel build(ModelConfig config, PretrainedSource source, Path torchScript, Shape itemShape,
            int numClasses, Device device, String configSource) {
        if (source == null) {
            Block fresh = ModelFactory.build(config, itemShape, numClasses);
            return surgery(fresh, config, itemShape, numClasses, null,
                    "randomly initialised " + config.arch() + " body", configSource + ": model");
        }
        String where = configSource + ": model.pretrained " + source.path();
        if (source.inputShape() != null
                && !source.inputShape().equals(Arrays.stream(itemShape.getShape()).boxed().toList())) {
            throw new ConfigException(where + ": was trained on inputs of shape " + source.inputShape()
                    + ", the data gives " + itemShape + "; expected data.channels and data.image_size to match it");
        }
        return source.kind() == PretrainedSource.Kind.TORCHSCRIPT
                ? torchScript(source, torchScript, itemShape, numClasses, device, where)
                : keel(config, source, itemShape, numClasses, device, where);
    }

    private static TransferModel torchScript(PretrainedSource source, Path override, Shape itemShape, int numClasses,
            Device device, String where) {
        Path file = override != null ? override : source.weights();
        Model holder = Model.newInstance("pretrained", device, "PyTorch");
        try {
            String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
            // DJL starts loaded TorchScript parameters frozen unless asked.
            holder.load(file.toAbsolutePath().getParent(), name, Map.of("trainParam", "true"));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            holder.close();
            throw new ConfigException(where + ": cannot be loaded as TorchScript: " + firstLine(e));
        }
        Block body = holder.getBlock();
        Shape output = probe(body, holder, itemShape, where);
        int parameters = body.getParameters().size();
        Block head = FineTuned.head(output, numClasses);
        return new TransferModel(new TransferBlock(body, head), holder, String.format(Locale.ROOT,
                "TorchScript %s (%d parameter arrays, output %s) + new head %s", file.getFileName(), parameters,
                output, headDescription(output, numClasses)), null, output);
    }

    private static TransferModel keel(ModelConfig config, PretrainedSource source, Shape itemShape, int numClasses,
            Device device, String where) {
        Block pretrained = ModelFactory.build(source.model(), itemShape, source.classes());
        Model holder = Model.newInstance("pretrained", device);
        try {
            holder.setBlock(pretrained);
            switch (source.kind()) {
                case KEEL_RUN -> holder.load(source.weights(), "model");
                case DJL_MODEL -> holder.load(source.weights(), paramsPrefix(source.weights()));
                case KEEL_CHECKPOINT -> {
                    pretrained.initialize(holder.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(itemShape));
                    try (NDManager scope = holder.getNDManager().newSubManager()) {
                        WeightSnapshot.restore(pretrained, NDList.decode(scope,
                                Files.readAllBytes(source.weights().resolve("weights.ndlist"))));
                    }
                }
                default -> throw new IllegalStateException(source.kind().toString());
            }
            requireShapes(pretrained, source, itemShape, holder);
            probe(pretrained, holder, itemShape, where);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            holder.close();
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException(where + ": its weights do not fit a " + source.model().arch() + " network for "
                    + source.classes() + " classes and inputs " + itemShape + " (" + firstLine(e) + ")");
        }
        try {
            ModelConfig from = source.model();
            return surgery(pretrained, new ModelConfig(from.arch(), from.hidden(), from.channels(),
                    from.dropout(), from.layers(), config.pretrained(), config.cut()), itemShape, numClasses, holder,
                    source.kind().label() + " " + source.path() + " (" + source.model().arch() + ", "
                            + source.classes() + " classes)", where);
        } catch (RuntimeException e) {
            holder.close();
            throw e;
        }
    }

    /**
     * DJL loads each parameter with the shape its file says, whatever the block was built for:
     * every loaded shape must be the one the architecture gives, or the network is not the one
     * the config describes.
     */
    private static void requireShapes(Block loaded, PretrainedSource source, Shape itemShape, Model holder) {
        Block expected = ModelFactory.build(source.model(), itemShape, source.classes());
        try (NDManager scope = holder.getNDManager().newSubManager()) {
            expected.initialize(scope, DataType.FLOAT32, new Shape(1).addAll(itemShape));
            Map<String, Shape> shapes = new HashMap<>();
            expected.getParameters().forEach(p -> shapes.put(p.getKey(), p.getValue().getArray().getShape()));
            for (Pair<String, Parameter> parameter : loaded.getParameters()) {
                Shape want = shapes.get(parameter.getKey());
                Shape got = parameter.getValue().getArray().getShape();
                if (!got.equals(want)) {
                    throw new IllegalStateException("parameter " + parameter.getKey() + " has shape " + got
                            + ", the architecture gives " + want);
                }
            }
        }
    }

    /** Keeps the top-level layers before {@code cut} (default: before the last linear layer) and adds a new head. */
    private static TransferModel surgery(Block network, ModelConfig architecture, Shape itemShape, int numClasses,
            Model holder, String origin, String where) {
        Integer cut = architecture.cut();
        if (!(network instanceof SequentialBlock sequential)) {
            throw new ConfigException(where + ": a " + network.getClass().getSimpleName()
                    + " has no top-level layers to cut; expected a sequential network");
        }
        List<Pair<String, Block>> layers = new ArrayList<>();
        sequential.getChildren().forEach(layers::add);
        int keep = cut != null ? cut : FineTuned.lastLinear(layers);
        if (keep < 1 || keep >= layers.size() + (cut != null ? 1 : 0)) {
            throw new ConfigException(where + ": model.cut " + (cut == null ? "(default)" : cut) + " does not fit a"
                    + " network of " + layers.size() + " top-level layers (" + names(layers)
                    + "); expected the number of layers to keep, 1 to " + layers.size());
        }
        FineTuned.Cut cutNetwork = FineTuned.cut(layers, keep, itemShape, numClasses);
        Shape output = cutNetwork.bodyOutput();
        return new TransferModel(cutNetwork.block(), holder,
                origin + ", first " + keep + " of " + layers.size() + " layers (" + names(layers.subList(0, keep))
                        + ") + new head " + headDescription(output, numClasses), architecture, output);
    }

    private static String headDescription(Shape features, int numClasses) {
        long inputs = features.dimension() == 4 ? features.get(1) : features.size() / Math.max(1, features.get(0));
        return (features.dimension() == 4 ? "average pool, " : features.dimension() == 2 ? "" : "flatten, ")
                + "linear " + inputs + " -> " + numClasses;
    }

    /** Runs one input of zeros through the body: the shape it gives, or a clear error when it does not fit. */
    private static Shape probe(Block body, Model holder, Shape itemShape, String where) {
        try (NDManager scope = holder.getNDManager().newSubManager()) {
            NDArray zeros = scope.zeros(new Shape(1).addAll(itemShape));
            NDList output = body.forward(new ParameterStore(scope, false), new NDList(zeros), false);
            if (output.size() != 1) {
                throw new ConfigException(where + ": its forward returns " + output.size()
                        + " arrays; expected one (features or logits)");
            }
            return output.head().getShape();
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigException(where + ": does not accept inputs of shape " + new Shape(1).addAll(itemShape)
                    + " from the data (" + firstLine(e) + "); expected data.channels and data.image_size to match"
                    + " what it was trained on");
        }
    }

    private static String paramsPrefix(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".params")).sorted()
                    .map(n -> n.replaceFirst("(-\\d+)?\\.params$", "")).findFirst().orElseThrow();
        }
    }

    private static String names(List<Pair<String, Block>> layers) {
        return String.join(", ", layers.stream().map(Pair::getKey).toList());
    }

    private static String firstLine(Exception e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.lines().filter(l -> !l.isBlank()).findFirst().orElse(message).trim();
    }

    @Override
    public void close() {
        if (holder != null) {
            holder.close();
        }
    }
}
