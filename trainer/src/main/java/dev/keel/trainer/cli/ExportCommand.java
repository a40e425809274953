package dev.keel.trainer.cli;

import dev.keel.trainer.export.ModelExport;
import dev.keel.trainer.predict.ModelReference;
import dev.keel.trainer.predict.ModelResolver;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel export MODEL --out DIR|FILE.zip}: a finished run's model as a folder plain DJL loads. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a finished run's model as a model folder (or .zip) that plain DJL loads with the"
                + " keel-serving jar and DJL's PyTorch engine, without Keel's trainer: parameters, keel-model.json,"
                + " synset.txt, provenance.json, registry.json (from the registry), serving.properties and a"
                + " manifest of SHA-256s. See docs/serving.md.",
                "Exit code 2 when the model cannot be resolved or loaded, or --out is taken."})
final class ExportCommand implements Callable<Integer> {
    private final ModelResolver models;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The run directory whose model to export, or a"
            + " registered version: NAME@production, NAME@staging, NAME@VERSION or NAME@ALIAS.")
    private String reference;

    @Option(names = "--out", required = true, paramLabel = "DIR|FILE.zip", description = "Where to write: a folder"
            + " that is absent or empty, or a new file ending in .zip (the same files at its root).")
    private Path out;

    ExportCommand(ModelResolver models) {
        this.models = models;
    }

    @Override
    public Integer call() {
        ModelReference model = models.resolve(reference);
        ModelExport.Exported exported = ModelExport.export(model, out, warning -> {
            System.err.println("keel: warning: " + warning);
            System.err.flush();
        });
        System.out.println("exported " + model.text() + " to " + exported.out() + " (" + String.join(", ",
                exported.files()) + "; oneDNN cap " + exported.oneDnnIsa() + ")");
        System.out.flush();
        return 0;
    }
}
