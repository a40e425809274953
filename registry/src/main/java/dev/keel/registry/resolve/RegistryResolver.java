package dev.keel.registry.resolve;

import dev.keel.registry.run.FinishedRun;
import dev.keel.registry.store.RegisteredVersion;
import dev.keel.registry.store.RegistryStore;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.predict.ModelReference;
import dev.keel.trainer.predict.ModelResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Resolves {@code NAME@production}, {@code NAME@staging}, {@code NAME@3} and {@code NAME@ALIAS}
 * through the registry, after checking that the run's model files and provenance.json are still
 * the ones registered. Text that names an existing path stays a run directory.
 */
public final class RegistryResolver implements ModelResolver {
    private final Supplier<Path> registryFile;

    /** @param registryFile the registry file, asked for only when a reference needs it */
    public RegistryResolver(Supplier<Path> registryFile) {
        this.registryFile = registryFile;
    }

    @Override
    public ModelReference resolve(String text) {
        if (Files.exists(Path.of(text)) || !ModelReference.looksLikeRegistryReference(text)) {
            return ModelResolver.RUN_DIRECTORIES.resolve(text);
        }
        int at = text.indexOf('@');
        String name = text.substring(0, at);
        String selector = text.substring(at + 1);
        Path file = registryFile.get();
        if (!Files.exists(file)) {
            throw new ConfigException(text + ": neither a run directory nor a registered model: there is no registry"
                    + " at " + file + " (KEEL_REGISTRY names another file)");
        }
        RegisteredVersion version;
        try (RegistryStore store = RegistryStore.open(file, false)) {
            version = store.resolve(name, selector);
        }
        if (version.deleted()) {
            throw new ConfigException(text + ": version " + version.version() + " of " + name + " was deleted ("
                    + version.deletedAt() + ")");
        }
        Path runDir = Path.of(version.runDir());
        FinishedRun.verify(runDir, version.record().path("hashes"), text + " (version " + version.version() + ")");
        return new ModelReference(text, runDir, version.toJson());
    }
}
