package dev.keel.trainer.predict;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.keel.trainer.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Whether loaded weights are the ones {@code keel-model.json} describes. Loading alone does not
 * tell: DJL gives each parameter the shape of the array it reads, so a description listing fewer
 * classes than the output layer has would load and then answer with the wrong class names. One
 * forward pass of a blank item proves the input shape fits the weights and counts the outputs.
 */
final class SavedModelCheck {
    private static final Pattern PARAMS = Pattern.compile("-(\\d{4})\\.params$");

    private SavedModelCheck() {}

    /**
     * @throws ConfigException naming {@code keel-model.json} (or {@code synset.txt}) when the
     *     weights take another input or give another number of classes
     */
    static void matches(Model model, ModelDescriptionFile description) {
        Path modelDir = description.file().getParent();
        Path weights = weightsFile(modelDir, description.name());
        for (Pair<String, Parameter> parameter : model.getBlock().getParameters()) {
            // DJL reads a parameter file whose header is damaged as one without values, silently.
            if (!parameter.getValue().isInitialized()) {
                throw new ConfigException(weights + " holds no value for the parameter " + parameter.getKey()
                        + ": the saved model is damaged; retrain it (./keel train "
                        + modelDir.toAbsolutePath().getParent().resolve("config.yaml") + ")");
            }
        }
        Shape output;
        try (NDManager scope = model.getNDManager().newSubManager()) {
            NDArray blank = scope.zeros(new Shape(1).addAll(description.inputShape()));
            output = model.getBlock().forward(new ParameterStore(scope, false), new NDList(blank), false)
                    .singletonOrThrow().getShape();
        } catch (RuntimeException e) {
            throw description.invalid("input_shape " + description.inputShape() + " does not fit the weights in "
                    + weights + " (" + TrainedModel.firstLine(e) + ")");
        }
        int classes = description.classes().size();
        if (output.dimension() != 2 || output.get(1) != classes) {
            throw description.invalid("lists " + classes + " classes, but the weights in " + weights + " give "
                    + (output.dimension() == 2 ? output.get(1) + " outputs" : "outputs of shape " + output));
        }
        Path synset = modelDir.resolve("synset.txt");
        if (Files.isRegularFile(synset)) {
            List<String> names = readLines(synset);
            if (!names.equals(description.classes())) {
                throw new ConfigException(description.file() + " lists the classes " + description.classes() + ", "
                        + synset + " " + names + ": one of them was edited, so the class names cannot be trusted;"
                        + " retrain the run or restore model/ from a backup");
            }
        }
    }

    /**
     * The parameter file DJL loads for {@code name}: the one with the highest epoch number, or
     * where it would be when there is none.
     */
    static Path weightsFile(Path modelDir, String name) {
        try (Stream<Path> files = Files.list(modelDir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(name + "-"))
                    .filter(p -> PARAMS.matcher(p.getFileName().toString()).find())
                    .max(Comparator.comparing(p -> p.getFileName().toString()))
                    .orElse(modelDir.resolve(name + "-NNNN.params"));
        } catch (IOException e) {
            return modelDir.resolve(name + "-NNNN.params");
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + TrainedModel.firstLine(e));
        }
    }
}
