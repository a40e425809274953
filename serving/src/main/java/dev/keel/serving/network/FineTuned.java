package dev.keel.serving.network;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.util.Pair;
import java.util.List;

/**
 * The network of a fine-tuned model: a body and a new head in a {@link TransferBlock}. A Keel body
 * is the first top-level layers of a Keel network (by default all before its last linear layer);
 * the head is a linear layer to the classes over the body's output.
 */
public final class FineTuned {
    private FineTuned() {}

    /**
     * A Keel body cut from {@code network} and a new head.
     *
     * @param layers {@code network}'s top-level layers
     * @param keep how many of them the body keeps, 1 to {@code layers.size()}
     * @param inputShape one input's shape
     */
    public static FineTuned.Cut cut(List<Pair<String, Block>> layers, int keep, Shape inputShape, int numClasses) {
        SequentialBlock body = ScopedSequentialBlock.ofLayers(layers.subList(0, keep));
        Shape output = body.getOutputShapes(new Shape[] {new Shape(1).addAll(inputShape)})[0];
        return new Cut(new TransferBlock(body, head(output, numClasses)), output);
    }

    /**
     * A network with its body cut as a saved fine-tuned model describes it: {@code architecture}'s
     * network, cut at {@code architecture.cut()} or before its last linear layer.
     *
     * @throws IllegalArgumentException when the cut does not fit the network
     */
    public static TransferBlock keelBodied(Architecture architecture, Shape inputShape, int numClasses) {
        Block network = Networks.build(architecture, inputShape, numClasses);
        List<Pair<String, Block>> layers = ((SequentialBlock) network).getChildren().stream().toList();
        int keep = architecture.cut() != null ? architecture.cut() : lastLinear(layers);
        if (keep < 1 || keep > layers.size()) {
            throw new IllegalArgumentException("model.cut " + keep + " does not fit a network of " + layers.size()
                    + " top-level layers");
        }
        return cut(layers, keep, inputShape, numClasses).block();
    }

    /** The index of the last linear layer of {@code layers}, -1 when there is none: where a default cut falls. */
    public static int lastLinear(List<Pair<String, Block>> layers) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i).getValue() instanceof Linear) {
                return i;
            }
        }
        return -1;
    }

    /** A linear layer to the classes; feature maps are averaged first, other shapes flattened. */
    public static Block head(Shape features, int numClasses) {
        Block linear = Linear.builder().setUnits(numClasses).build();
        if (features.dimension() == 2) {
            return linear;
        }
        SequentialBlock head = new SequentialBlock();
        if (features.dimension() == 4) {
            head.add(Pool.globalAvgPool2dBlock());
        }
        return head.add(Blocks.batchFlattenBlock()).add(linear);
    }

    /**
     * A cut network.
     *
     * @param block the body and its new head
     * @param bodyOutput the body's output for a batch of one
     */
    public record Cut(TransferBlock block, Shape bodyOutput) {}
}
