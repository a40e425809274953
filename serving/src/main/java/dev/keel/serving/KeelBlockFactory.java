package dev.keel.serving;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import dev.keel.serving.engine.OneDnnCap;
import dev.keel.serving.model.KeelModelFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Rebuilds the network of an exported Keel model for DJL's model loading: named in the export's
 * {@code serving.properties} ({@code blockFactory=dev.keel.serving.KeelBlockFactory}), it reads
 * {@code keel-model.json} in the model folder and builds the network it describes (from scratch, a
 * fine-tuned Keel body, or a TorchScript body whose module DJL then reads from the parameter file).
 *
 * <p>Before the network is built, oneDNN's instruction-set cap that Keel chose for it (the
 * argument {@value #ONEDNN_ARGUMENT}, which {@code keel export} writes) is set in the process,
 * unless the process was started with {@code ONEDNN_MAX_CPU_ISA}: oneDNN keeps the first value it
 * reads, so in a JVM that serves several models the first model's cap holds for all.
 */
public class KeelBlockFactory implements BlockFactory {
    /** The argument (a {@code serving.properties} key) that carries oneDNN's cap for the model. */
    public static final String ONEDNN_ARGUMENT = "onednnMaxCpuIsa";

    private static final long serialVersionUID = 1L;

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) throws IOException {
        KeelModelFile description = KeelModelFile.read(modelPath);
        Object cap = arguments.get(ONEDNN_ARGUMENT);
        OneDnnCap.applyUnlessSet(cap == null ? null : cap.toString());
        try {
            return description.network(model.getNDManager());
        } catch (IllegalArgumentException e) {
            throw new IOException(modelPath.resolve(KeelModelFile.FILE_NAME) + ": does not build a network ("
                    + e.getMessage() + ")", e);
        }
    }
}
