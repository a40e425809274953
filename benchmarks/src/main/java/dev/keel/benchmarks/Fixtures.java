package dev.keel.benchmarks;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import dev.keel.datasets.ImageDataset;
import dev.keel.datasets.ImageStatistics;
import dev.keel.datasets.LabeledImages;
import dev.keel.datasets.resolve.DatasetResolver;
import dev.keel.trainer.config.ModelConfig;
import dev.keel.trainer.model.ModelFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * What every benchmark builds the same way, so that Keel, raw DJL and {@code tools/bench_peer.py}
 * time the same networks with the same optimizer: the models, the device, the data and the
 * optimizer settings.
 */
final class Fixtures {
    /** The {@code device} parameter's values; the annotations need them as constants. */
    static final String CPU = "cpu";
    static final String GPU = "gpu";

    /** Printed (and thrown from {@code @Setup}) when {@code device=gpu} is asked for on a machine without one. */
    /** The networks every benchmark can build, in the order the JMH parameters list them. */
    static final List<String> MODELS = List.of("mlp", "cnn", "resnet");

    static final String NO_GPU = "no GPU: DJL's PyTorch engine sees no CUDA device; skipping device=gpu";

    /** Fashion-MNIST's image shape and classes, as in tools/bench_peer.py. */
    static final Shape IMAGE_SHAPE = new Shape(1, 28, 28);
    static final int NUM_CLASSES = 10;
    static final long SEED = 42;

    /** tools/bench_peer.py's AdamW: lr 1e-3, betas 0.9/0.999, eps 1e-8, weight decay 0.01. */
    static final float LEARNING_RATE = 1e-3f;
    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;
    static final float WEIGHT_DECAY = 0.01f;

    private Fixtures() {}

    /**
     * The network sizes tools/bench_peer.py builds: mlp 784-256-10 without dropout; cnn with
     * channels [32, 64], hidden [128] and dropout 0.25; resnet-20 (DJL's ResNetV1).
     */
    static ModelConfig modelConfig(String model) {
        return switch (model) {
            case "mlp" -> new ModelConfig("mlp", List.of(256), List.of(), 0.0, 20);
            case "cnn" -> new ModelConfig("cnn", List.of(128), List.of(32, 64), 0.25, 20);
            case "resnet" -> new ModelConfig("resnet", List.of(), List.of(), 0.0, 20);
            default -> throw new IllegalArgumentException(
                    "model: \"" + model + "\" is not one of " + String.join(", ", MODELS));
        };
    }

    /** Keel's block for {@code model}, uninitialised. */
    static Block block(String model) {
        return ModelFactory.build(modelConfig(model), IMAGE_SHAPE, NUM_CLASSES);
    }

    /**
     * The DJL device for the {@code device} parameter.
     *
     * @throws IllegalStateException with {@link #NO_GPU} when a GPU is asked for and PyTorch sees none
     */
    static Device device(String device) {
        return switch (device) {
            case CPU -> Device.cpu();
            case GPU -> {
                if (Engine.getInstance().getGpuCount() == 0) {
                    throw new IllegalStateException(NO_GPU);
                }
                yield Device.gpu();
            }
            default -> throw new IllegalArgumentException("device: \"" + device + "\" is not one of cpu, gpu");
        };
    }

    /**
     * The training images of the Fashion-MNIST sample bundled with Keel (10,000 images), read the
     * way a run reads them when no other copy is found: the Debian folder is pointed at a path that
     * does not exist and {@code $KEEL_DATA} is ignored, so every machine reads the same bytes.
     */
    static LabeledImages fashionMnistSample() {
        DatasetResolver resolver = new DatasetResolver(name -> null,
                Map.of("fashion-mnist", Path.of("/nonexistent/keel-benchmarks/fashion-mnist")));
        return resolver.resolve("fashion-mnist", null).train();
    }

    /** The first {@code items} images of the bundled sample, normalised by their own mean and std. */
    static ImageDataset sampleDataset(int items) {
        LabeledImages images = fashionMnistSample();
        if (items > images.count()) {
            throw new IllegalArgumentException(items + " items asked for, the bundled sample has " + images.count());
        }
        int[] first = IntStream.range(0, items).toArray();
        return ImageDataset.builder(images).items(first).normalization(ImageStatistics.fit(images, first)).build();
    }

    /** DJL's own AdamW with tools/bench_peer.py's settings. */
    static Optimizer djlAdamW() {
        return Optimizer.adamW()
                .optLearningRateTracker(Tracker.fixed(LEARNING_RATE))
                .optBeta1(BETA1)
                .optBeta2(BETA2)
                .optEpsilon(EPSILON)
                .optWeightDecays(WEIGHT_DECAY)
                .build();
    }

    /** A trainer for {@code model} with softmax cross-entropy and {@code optimizer}, initialised for 28x28 images. */
    static Trainer trainer(Model model, Optimizer optimizer, Device device) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(optimizer)
                .optDevices(new Device[] {device});
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new Shape(1).addAll(IMAGE_SHAPE));
        return trainer;
    }

    /** The number of scalars in the block's initialised parameters. */
    static long parameterCount(Block block) {
        long count = 0;
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            if (parameter.getValue().isInitialized()) {
                count += parameter.getValue().getArray().size();
            }
        }
        return count;
    }

    /** The smallest initialised parameter array: what {@link #sync} reads back cheaply. */
    static NDArray smallestParameter(Block block) {
        NDArray smallest = null;
        for (Pair<String, Parameter> parameter : block.getParameters()) {
            NDArray array = parameter.getValue().getArray();
            if (smallest == null || array.size() < smallest.size()) {
                smallest = array;
            }
        }
        return smallest;
    }

    /**
     * Waits until the device has finished the work queued before it. A no-op on the CPU, where
     * every operation has finished when its call returns; on a GPU a copy to the host waits for
     * the stream (tools/bench_peer.py calls torch.cuda.synchronize after every step for the same reason).
     */
    static void sync(NDArray small) {
        if (small.getDevice().isGpu()) {
            small.toByteBuffer();
        }
    }
}
