package dev.keel.trainer.model;

import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * The TorchScript module inside a network, if it has one. Such a module keeps buffers (batch-norm
 * running statistics) that DJL does not list among its parameters, so a checkpoint saves the whole
 * module beside the parameters, and a resumed run loads the module from it.
 */
public final class TorchScriptModules {
    /** The file name of the module in a checkpoint. */
    public static final String FILE = "module.pt";

    private TorchScriptModules() {}

    /** The first TorchScript module in {@code block}'s tree. */
    public static Optional<PtSymbolBlock> find(Block block) {
        if (block instanceof PtSymbolBlock module) {
            return Optional.of(module);
        }
        for (Pair<String, Block> child : block.getChildren()) {
            Optional<PtSymbolBlock> found = find(child.getValue());
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The module as a TorchScript file's bytes (what {@code torch.jit.save} writes), parameters and buffers. */
    public static byte[] bytes(PtSymbolBlock module) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JniUtils.writeModule(module, out, false);
        return out.toByteArray();
    }
}
