package dev.keel.serving.network;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A pretrained body and a new head. Its parameters are named {@code body_...} and {@code head_...}
 * (DJL would number the children), which is what parameter groups select by. While the body is
 * frozen without {@code train_bn} it runs in inference mode: batch norm uses and keeps its running
 * statistics, dropout is off.
 */
public final class TransferBlock extends AbstractBlock {
    public static final String BODY = "body";
    public static final String HEAD = "head";
    private static final byte VERSION = 1;

    private final Block body;
    private final Block head;
    private boolean bodyInInference;

    public TransferBlock(Block body, Block head) {
        super(VERSION);
        this.body = body;
        this.head = head;
        children.add(BODY, body);
        children.add(HEAD, head);
    }

    /** Runs the body in inference mode even while training (a frozen body whose batch norm does not train). */
    public void setBodyInInference(boolean inference) {
        this.bodyInInference = inference;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList features = body.forward(store, inputs, training && !bodyInInference, params);
        if (training && bodyInInference) {
            // A TorchScript body evaluates under PyTorch's inference mode, whose tensors autograd
            // refuses; a copy is an ordinary tensor (the frozen body needs no gradient).
            NDList copies = new NDList(features.size());
            features.forEach(array -> copies.add(array.duplicate()));
            features = copies;
        }
        return head.forward(store, features, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(body.getOutputShapes(inputShapes));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, body.getOutputShapes(inputShapes));
    }
}
