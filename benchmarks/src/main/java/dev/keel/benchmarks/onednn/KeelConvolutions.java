package dev.keel.benchmarks.onednn;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import dev.keel.trainer.config.ConfigLoader;
import dev.keel.trainer.config.DataConfig;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.isa.ConvShape;
import dev.keel.trainer.model.ModelFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The convolutions of the networks Keel builds, found in the networks themselves: Keel's {@link
 * ModelFactory} builds each config's network, which is initialised for the config's images and
 * walked for its {@link Conv2d} blocks. Each convolution is listed twice: at the config's training
 * batch size as training runs it, and at its evaluation batch size as evaluation does.
 */
final class KeelConvolutions {
    /** The resnet depths Keel accepts for 28x28 images (docs/config.md). */
    static final List<Integer> RESNET_DEPTHS = List.of(20, 32, 44, 56, 110);

    /** A config whose network the sweep leaves out, and why. */
    record Skipped(String config, String reason) {}

    /** The convolutions found and the configs left out. */
    record Found(List<ConvShape> shapes, List<Skipped> skipped) {}

    private KeelConvolutions() {}

    /**
     * The convolutions of every {@code *.yaml} config in {@code folder} that builds a cnn or resnet
     * from scratch. Configs that start from a pretrained model (its network comes from another run
     * or a TorchScript file) and networks without convolutions are skipped.
     */
    static Found ofConfigs(Path folder) {
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(file -> file.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the configs in " + folder, e);
        }
        List<ConvShape> shapes = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            RunConfig config = ConfigLoader.load(file, List.of());
            if (config.model().pretrained() != null) {
                skipped.add(new Skipped(name, "model.pretrained: " + config.model().pretrained()));
            } else if (!config.model().arch().equals("cnn") && !config.model().arch().equals("resnet")) {
                skipped.add(new Skipped(name, "model.arch: " + config.model().arch() + " has no convolutions"));
            } else {
                shapes.addAll(of(config, name));
            }
        }
        return new Found(shapes, skipped);
    }

    /**
     * The convolutions of resnets of the given depths on the default data (28x28 grayscale) and,
     * for image folders, on 28x28 RGB images, at the default batch sizes.
     */
    static List<ConvShape> ofResnets(List<Integer> depths) {
        List<ConvShape> shapes = new ArrayList<>();
        for (int depth : depths) {
            shapes.addAll(of(resnet(depth, false), "resnet-" + depth));
            shapes.addAll(of(resnet(depth, true), "resnet-" + depth + " rgb"));
        }
        return shapes;
    }

    /** A resnet of {@code depth} on the default data (28x28 grayscale) or on 28x28 RGB image folders. */
    static RunConfig resnet(int depth, boolean rgb) {
        String model = "model: {arch: resnet, layers: " + depth + "}\n";
        return ConfigLoader.fromYaml("resnet", rgb ? model + "data: {format: image-folder, path: images, channels: 3}\n"
                : model, List.of());
    }

    /** The convolutions of {@code config}'s network, used by {@code use}. */
    static List<ConvShape> of(RunConfig config, String use) {
        Shape image = imageShape(config.data());
        Block network = ModelFactory.build(config.model(), image, 10);
        List<Conv2d> convolutions = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            network.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(image));
            collect(network, convolutions);
        }
        List<ConvShape> shapes = new ArrayList<>();
        for (boolean training : new boolean[] {true, false}) {
            int batch = training ? config.data().batchSize() : config.data().evalBatchSize();
            for (Conv2d convolution : convolutions) {
                shapes.add(shape(convolution, batch, training, use));
            }
        }
        return shapes;
    }

    /** One image of {@code data}: (channels, height, width). */
    static Shape imageShape(DataConfig data) {
        return switch (data.format()) {
            case "image-folder" -> new Shape(data.channels(), data.imageSize(), data.imageSize());
            // Keel's idx datasets, MNIST and Fashion-MNIST, hold 28x28 grayscale images.
            case "idx" -> new Shape(1, 28, 28);
            default -> throw new IllegalArgumentException("data.format " + data.format() + " holds no images");
        };
    }

    private static void collect(Block block, List<Conv2d> convolutions) {
        if (block instanceof Conv2d convolution) {
            convolutions.add(convolution);
        }
        for (Block child : block.getChildren().values()) {
            collect(child, convolutions);
        }
    }

    private static ConvShape shape(Conv2d convolution, int batch, boolean training, String use) {
        Shape input = convolution.getInputShapes()[0];
        Shape kernel = convolution.getKernelShape();
        Shape stride = convolution.getStride();
        Shape padding = convolution.getPadding();
        boolean covered = input.get(2) == input.get(3) && kernel.get(0) == kernel.get(1)
                && stride.get(0) == stride.get(1) && padding.get(0) == padding.get(1)
                && convolution.getDilation().equals(new Shape(1, 1)) && convolution.getGroups() == 1
                && !convolution.isIncludeBias();
        if (!covered) {
            throw new IllegalStateException(use + ": a convolution the sweep does not cover (it runs square, "
                    + "ungrouped, undilated convolutions without bias): input " + input + ", kernel " + kernel
                    + ", stride " + stride + ", padding " + padding + ", bias " + convolution.isIncludeBias());
        }
        return new ConvShape(batch, (int) input.get(1), convolution.getFilters(), (int) input.get(2),
                (int) kernel.get(0), (int) stride.get(0), (int) padding.get(0), training, List.of(use));
    }
}
