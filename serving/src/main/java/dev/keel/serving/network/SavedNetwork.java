package dev.keel.serving.network;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * The network of a saved Keel model, before its weights are loaded: built by name from scratch, a
 * cut Keel body with its head, or an empty TorchScript body (the module itself is in the parameter
 * file, which DJL reads into it) with its head.
 */
public final class SavedNetwork {
    /** {@code model.arch} of a model fine-tuned from a TorchScript module. */
    public static final String TORCHSCRIPT = "torchscript";

    private SavedNetwork() {}

    /**
     * Builds the network {@code keel-model.json} describes.
     *
     * @param architecture its {@code model} section
     * @param transfer its {@code transfer} section; null for a model trained from scratch
     * @param inputShape one input's shape ({@code input_shape})
     * @param numClasses how many classes it tells apart
     * @param manager where a TorchScript body lives (the model's manager)
     * @throws IllegalArgumentException when the description does not build a network
     */
    public static Block build(Architecture architecture, JsonObject transfer, Shape inputShape, int numClasses,
            NDManager manager) {
        if (transfer == null) {
            return Networks.build(architecture, inputShape, numClasses);
        }
        if (!architecture.arch().equals(TORCHSCRIPT)) {
            return FineTuned.keelBodied(architecture, inputShape, numClasses);
        }
        JsonElement output = transfer.get("body_output");
        if (output == null || !output.isJsonArray() || output.getAsJsonArray().isEmpty()) {
            throw new IllegalArgumentException("transfer.body_output is missing (written by an older Keel?)");
        }
        long[] dims = new long[output.getAsJsonArray().size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = output.getAsJsonArray().get(i).getAsLong();
        }
        return new TransferBlock(new PtSymbolBlock((PtNDManager) manager), FineTuned.head(new Shape(dims), numClasses));
    }
}
