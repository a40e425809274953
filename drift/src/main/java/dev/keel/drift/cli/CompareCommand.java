package dev.keel.drift.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.drift.compare.Comparison;
import dev.keel.drift.compare.LabelledData;
import dev.keel.drift.compare.ScoredModel;
import dev.keel.drift.compare.Verdict;
import dev.keel.registry.cli.RegistryOption;
import dev.keel.registry.resolve.RegistryResolver;
import dev.keel.registry.run.FinishedRun;
import dev.keel.registry.store.RegistryStore;
import dev.keel.registry.store.Stage;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.engine.DeviceChoice;
import dev.keel.trainer.interpret.Interpretation;
import dev.keel.trainer.predict.ModelReference;
import dev.keel.trainer.predict.TrainedModel;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.WriteFailedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code keel compare CHAMPION CHALLENGER --data LABELLED_DATA}: both models on the same labelled
 * items, McNemar's exact test of their per-item correctness, and with {@code --promote} the
 * challenger promoted to production through the registry when it is better (docs/compare.md).
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare two models on the same labelled data, item by item: accuracy, mean cross-entropy,"
                + " per-class precision, recall and F1, and McNemar's exact test of their per-item correctness.",
                "The challenger is better when its accuracy is higher and McNemar's p < --alpha. With --promote, a"
                        + " better challenger becomes production in the registry, the comparison recorded as the"
                        + " reason.",
                "Exit codes: 0 compared (promoted or not); 2 bad input (named on stderr)."})
final class CompareCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<Path> defaultRegistry;

    @Spec
    private CommandLine.Model.CommandSpec spec;
    @Parameters(index = "0", paramLabel = "CHAMPION", description = "The model in use: a run directory, or a registry"
            + " reference (NAME@production, NAME@3, NAME@ALIAS).")
    private String championText;
    @Parameters(index = "1", paramLabel = "CHALLENGER", description = "The model that would replace it: a run"
            + " directory or a registry reference.")
    private String challengerText;
    @Option(names = "--data", required = true, paramLabel = "LABELLED_DATA", description = "A CSV file with the label"
            + " column, or a folder of images with one subfolder per class; every item is used.")
    private String data;
    @Option(names = "--promote", description = "Promote the challenger to production when it is better.")
    private boolean promote;
    @Option(names = "--name", paramLabel = "NAME", description = "The registered model to promote in (default: the"
            + " champion's, when it is a registry reference).")
    private String name;
    @Option(names = "--alpha", paramLabel = "LEVEL", defaultValue = "0.05", description = "The test's level, in"
            + " (0, 1) (default: ${DEFAULT-VALUE}).")
    private double alpha;
    @Option(names = "--out", paramLabel = "FILE.json", description = "Write the whole comparison there as JSON"
            + " (default: nothing written).")
    private Path out;
    @Option(names = "--registry", paramLabel = "PATH", description = "The registry file (default: $KEEL_REGISTRY,"
            + " else registry.db in the working directory).")
    private Path registry;

    /** @param defaultRegistry the registry file when {@code --registry} is not given */
    CompareCommand(Supplier<Path> defaultRegistry) {
        this.defaultRegistry = defaultRegistry;
    }

    private Path registryFile() {
        return registry != null ? registry : defaultRegistry.get();
    }

    @Override
    public Integer call() {
        if (!(alpha > 0 && alpha < 1)) {
            throw new ConfigException("--alpha " + alpha + ": expected a level in (0, 1), such as 0.05");
        }
        if (name != null) {
            RegistryStore.checkName(name, "--name");
        }
        RegistryResolver resolver = new RegistryResolver(this::registryFile);
        ModelReference champion = resolver.resolve(championText);
        ModelReference challenger = resolver.resolve(challengerText);
        String target = promote ? promotionTarget(champion) : null;
        FinishedRun challengerRun = promote && !promotesRegisteredVersion(challenger, target)
                ? FinishedRun.read(challenger.runDir()) : null;

        Comparison comparison;
        try (LabelledData labelled = LabelledData.open(data)) {
            Device device = DeviceChoice.resolve("auto", "keel compare");
            try (TrainedModel championModel = TrainedModel.open(champion.runDir(), device);
                    TrainedModel challengerModel = TrainedModel.open(challenger.runDir(), device)) {
                if (championModel.takesImages() != challengerModel.takesImages()) {
                    throw new ConfigException("input kinds differ: champion " + championText + " takes "
                            + kind(championModel) + ", challenger " + challengerText + " takes "
                            + kind(challengerModel) + "; compare needs two models of the same input");
                }
                Comparison.requireSameClasses(championModel.classes(), challengerModel.classes(), championText,
                        challengerText);
                ScoredModel championScores = ScoredModel.evaluate(champion, championModel, labelled,
                        "champion " + championText);
                ScoredModel challengerScores = ScoredModel.evaluate(challenger, challengerModel, labelled,
                        "challenger " + challengerText);
                comparison = Comparison.of(labelled.path().toString(), championScores, challengerScores, alpha);
            }
        }
        PrintWriter console = spec.commandLine().getOut();
        print(console, comparison);
        if (out != null) {
            write(comparison);
            console.println("wrote " + out);
        }
        // Printed before the promotion, which may still be refused: the comparison stands either way.
        console.flush();
        if (promote) {
            promote(console, comparison, challenger, challengerRun, target);
        }
        console.flush();
        return 0;
    }

    private static String kind(TrainedModel model) {
        return model.takesImages() ? "images" : "table rows";
    }

    /** {@code --name}, else the champion's registered name; refused up front when there is neither. */
    private String promotionTarget(ModelReference champion) {
        if (name != null) {
            return name;
        }
        if (champion.registryVersion() != null) {
            return champion.registryVersion().path("name").asText();
        }
        throw new ConfigException("--promote: give --name NAME, the registered model to promote the challenger in"
                + " (the champion " + championText + " is a run directory, not a registry reference)");
    }

    /** Whether the challenger is already a version of {@code target}, to promote as it is. */
    private static boolean promotesRegisteredVersion(ModelReference challenger, String target) {
        return challenger.registryVersion() != null
                && challenger.registryVersion().path("name").asText().equals(target);
    }

    private void promote(PrintWriter console, Comparison comparison, ModelReference challenger,
            FinishedRun challengerRun, String target) {
        if (comparison.verdict() != Verdict.BETTER) {
            console.println("not promoted: the challenger is " + comparison.verdict().words() + " (it must have the"
                    + " higher accuracy and McNemar's p < " + alpha + "); the registry is unchanged");
            return;
        }
        String reason = comparison.summary();
        // A champion registered under the target must still hold production: a version promoted
        // meanwhile by someone else was never compared with the challenger.
        ModelReference champion = comparison.champion().reference();
        Integer replacing = champion.registryVersion() != null
                && champion.registryVersion().path("name").asText().equals(target)
                ? champion.registryVersion().path("version").asInt() : null;
        try (RegistryStore store = RegistryStore.open(registryFile(), true)) {
            if (challengerRun == null) {
                int version = challenger.registryVersion().path("version").asInt();
                store.promote(target, version, Stage.PRODUCTION, replacing, RegistryOption.user(), reason);
                console.println("promoted " + target + " version " + version + " to production");
            } else {
                int version = store.registerAndPromote(target, challengerRun.runDir().toString(),
                        challengerRun.record(), "challenger promoted by keel compare", Map.of(), Stage.PRODUCTION,
                        replacing, RegistryOption.user(), reason);
                console.println("registered " + challengerRun.runDir() + " as " + target + " version " + version
                        + " and promoted it to production");
            }
        }
    }

    private void write(Comparison comparison) {
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // Whole or not at all: a scheduler may read the file as soon as it is there.
            RunDirectory.writeAtomically(out, (JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(comparison.toJson()) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException | WriteFailedException e) {
            throw new ConfigException("--out " + out + ": cannot be written (" + e.getMessage() + ")");
        }
    }

    private static void print(PrintWriter console, Comparison c) {
        ScoredModel a = c.champion();
        ScoredModel b = c.challenger();
        console.printf(Locale.ROOT, "compare on %s: %,d items%n", c.data(), c.items());
        String row = "%-22s %-28s %s%n";
        console.printf(Locale.ROOT, row, "", "champion", "challenger");
        console.printf(Locale.ROOT, row, "model", a.reference().text(), b.reference().text());
        console.printf(Locale.ROOT, row, "accuracy", percent(a.accuracy()), percent(b.accuracy()));
        console.printf(Locale.ROOT, row, "mean loss", number(a.meanLoss()), number(b.meanLoss()));
        for (Interpretation.ClassMetrics m : a.perClass()) {
            Interpretation.ClassMetrics other = b.metricsOf(m.name());
            console.printf(Locale.ROOT, row, "P/R/F1 " + m.name() + " (" + m.support() + ")", prf(m), prf(other));
        }
        console.printf(Locale.ROOT, "McNemar: b=%d (only the champion right), c=%d (only the challenger right);"
                        + " exact p=%.3g; chi-squared (corrected) %.3f, p=%.3g%n", c.test().b(), c.test().c(),
                c.test().exactP(), c.test().chiSquared(), c.test().chiSquaredP());
        console.println(c.summary().substring("keel compare: ".length()));
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * value);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    private static String prf(Interpretation.ClassMetrics m) {
        return String.format(Locale.ROOT, "%.3f / %.3f / %.3f", m.precision(), m.recall(), m.f1());
    }
}
