package dev.keel.drift.cli;

import dev.keel.drift.config.DriftConfig;
import dev.keel.drift.config.DriftConfigFile;
import dev.keel.drift.image.ImageDrift;
import dev.keel.drift.image.ImageDriftOptions;
import dev.keel.drift.image.ImageDriftResult;
import dev.keel.drift.image.ImagesSection;
import dev.keel.drift.image.NewImageFolder;
import dev.keel.drift.image.NewImageSizes;
import dev.keel.drift.prediction.ModelInputs;
import dev.keel.drift.prediction.PredictionDrift;
import dev.keel.drift.prediction.PredictionDriftOptions;
import dev.keel.drift.prediction.PredictionsSection;
import dev.keel.drift.reference.ReferenceRun;
import dev.keel.drift.reference.ReferenceSplits;
import dev.keel.drift.report.DriftPage;
import dev.keel.drift.report.DriftReport;
import dev.keel.drift.report.DriftSection;
import dev.keel.drift.table.NewTable;
import dev.keel.drift.table.ReferenceTable;
import dev.keel.drift.table.TableColumns;
import dev.keel.drift.table.TableDrift;
import dev.keel.drift.table.TableSection;
import dev.keel.serving.table.TableTransform;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.data.PreparedData;
import dev.keel.trainer.engine.DeviceChoice;
import dev.keel.trainer.predict.ModelReference;
import dev.keel.trainer.predict.ModelResolver;
import dev.keel.trainer.predict.TrainedModel;
import dev.keel.trainer.track.Provenance;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.trainer.track.WriteFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code keel drift REFERENCE NEW_DATA}: is the new data still what the reference model was trained
 * on? Exit codes: 0 no drift, 4 drift (for a scheduler to act on), 2 bad input.
 */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = {"Compare new data with the training split of a finished run (rebuilt as training built it,"
                + " and refused if the data changed since): for a table, one test per column the model uses; for"
                + " images, pixel statistics and the MMD test of the model's embeddings; for both, the model's"
                + " predictions and their accuracy (estimated from confidence without labels). Writes drift.json"
                + " and drift.html and prints one summary line.",
                "Exit code 0 when nothing drifted, 4 when the dataset drifted (for a scheduler to act on), 2 for"
                        + " a reference, new data or drift: setting that cannot be used (named on stderr)."})
final class DriftCommand implements Callable<Integer> {
    /** Exit code when the dataset verdict is drift. */
    static final int EXIT_DRIFT = 4;
    private static final DateTimeFormatter OUT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final ModelResolver models;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REFERENCE", description = "A finished run directory, or a registered"
            + " version: NAME@production, NAME@staging, NAME@VERSION or NAME@ALIAS.")
    private String reference;

    @Parameters(index = "1", paramLabel = "NEW_DATA", description = "For a table: a CSV file with the columns the"
            + " model reads (the label column may be there or not). For images: a folder of images, or of class"
            + " subfolders named after the model's classes (labels).")
    private Path newData;

    @Option(names = "--out", paramLabel = "DIR", description = "Where drift.json and drift.html go (default:"
            + " drift/<yyyyMMdd-HHmmss>-<reference name>/ under the working directory).")
    private Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "A YAML file whose drift: section sets the tests"
            + " and thresholds (default: the reference run's config.yaml if it has one, else Evidently's defaults).")
    private Path config;

    @Option(names = "--seed", paramLabel = "N", description = "The seed of any sampling (default: the reference"
            + " run's seed); a table's columns are tested on every row.")
    private Long seed;

    @Option(names = "--resize", description = "Images: squish new images of another size to the model's, as keel"
            + " predict does (default: refuse them, since the model never saw images of that size).")
    private boolean resize;

    DriftCommand(ModelResolver models) {
        this.models = models;
    }

    @Override
    public Integer call() {
        if (config != null && !Files.isRegularFile(config)) {
            throw new ConfigException(config + ": not found (--config names a YAML file with a drift: section)");
        }
        if (config != null && !DriftConfigFile.hasSection(config)) {
            throw new ConfigException(config + ": has no drift: section (--config names a YAML file with one;"
                    + " docs/drift.md lists its keys)");
        }
        ModelReference resolved = models.resolve(reference);
        ReferenceRun run = ReferenceRun.open(resolved);
        Path settingsFile = config != null ? config
                : DriftConfigFile.hasSection(run.configFile()) ? run.configFile() : null;
        DriftConfig settings = settingsFile == null ? DriftConfig.DEFAULTS : DriftConfigFile.read(settingsFile);
        // One section per kind of check; the kind of data the run trained on decides which apply.
        long sampleSeed = seed != null ? seed : run.config().seed();
        Checked checked;
        try (TrainedModel model = TrainedModel.open(run.runDir(), DeviceChoice.resolve("auto", run.runDir().toString()))) {
            checked = switch (run.kind()) {
                case TABLE -> table(run, model, settings, sampleSeed);
                case IMAGES -> images(run, model, settings, sampleSeed);
            };
        }
        Map<String, DriftSection> sections = new LinkedHashMap<>();
        checked.sections().forEach(section -> sections.put(section.key(), section));
        boolean drifted = sections.values().stream().anyMatch(DriftSection::drifted);
        int exitCode = drifted ? EXIT_DRIFT : 0;
        DriftReport report = new DriftReport(Provenance.keelVersion(), Instant.now().truncatedTo(ChronoUnit.SECONDS)
                .toString(), new DriftReport.Reference(reference, run.runDir().toAbsolutePath().toString(), run.name(),
                resolved.registryVersion(), run.dataset(), "train"), checked.newData(), sampleSeed, settingsFile == null ? "defaults" : settingsFile.toString(), settings, drifted,
                exitCode, sections);
        Path folder = out != null ? out : Path.of("drift", LocalDateTime.now().format(OUT_TIME) + "-"
                + run.name().replaceAll("[^A-Za-z0-9._-]", "-"));
        write(folder, report);
        spec.commandLine().getOut().println("drift: " + sections.values().stream().map(DriftSection::summary)
                .collect(Collectors.joining(" · ")) + " · " + folder.resolve("drift.html"));
        spec.commandLine().getOut().flush();
        return exitCode;
    }

    /** What the checks of one kind of data found: the new data they read, and their sections in report order. */
    private record Checked(DriftReport.NewData newData, List<DriftSection> sections) {}

    /**
     * A table: one test per column the model reads, the run's training rows against the new CSV
     * file; then the model's predictions on the new rows against those on the validation split.
     */
    private Checked table(ReferenceRun run, TrainedModel model, DriftConfig settings, long sampleSeed) {
        TableTransform transform = ReferenceTable.transform(run);
        TableColumns referenceColumns = ReferenceTable.load(run, transform);
        TableColumns newColumns = NewTable.read(newData, run.config().data().delimiter().charAt(0), transform,
                run.config().data().labelColumn());
        TableSection table = TableDrift.compare(referenceColumns, newColumns, transform.types(), settings);
        List<DriftSection> sections = new ArrayList<>(List.of(table));
        predictions(run, model, ReferenceSplits.prepare(run, model),
                NewTable.modelInputs(newColumns, transform, model.classes()), sampleSeed).ifPresent(sections::add);
        return new Checked(new DriftReport.NewData(newData.toAbsolutePath().toString(), newColumns.sha256(),
                newColumns.rows()), sections);
    }

    /**
     * Images: pixel statistics of the run's training images against the new folder's, and the
     * model's embeddings of both by the MMD test; then its predictions, as for a table.
     */
    private Checked images(ReferenceRun run, TrainedModel model, DriftConfig settings, long sampleSeed) {
        PreparedData reference = ReferenceSplits.prepare(run, model);
        ImageDriftResult images = ImageDrift.measure(model, reference.train(), newData,
                ImageDriftOptions.defaults().withSeed(sampleSeed).withSamplePerSide(settings.imageSample()));
        requireModelSize(images.newSizes());
        NewImageFolder folder = NewImageFolder.scan(newData, model.classes());
        List<DriftSection> sections = new ArrayList<>(List.of(new ImagesSection(images)));
        predictions(run, model, reference, folder.modelInputs(model.inputShape(), model.normalization()),
                sampleSeed).ifPresent(sections::add);
        return new Checked(new DriftReport.NewData(newData.toAbsolutePath().toString(), null, images.newItems()),
                sections);
    }

    /** New images of another size than the model takes are refused, unless {@code --resize} says to squish them. */
    private void requireModelSize(NewImageSizes sizes) {
        String modelSize = sizes.modelSize() + "x" + sizes.modelSize();
        Map<String, Integer> others = new LinkedHashMap<>(sizes.originalSizes());
        others.remove(modelSize);
        if (!resize && !others.isEmpty()) {
            int count = others.values().stream().mapToInt(Integer::intValue).sum();
            throw new ConfigException(newData + ": " + count + " image" + (count == 1 ? " is " : "s are ")
                    + others.keySet().stream().limit(3).collect(Collectors.joining(", ")) + (others.size() > 3
                    ? ", ..." : "") + ", not the " + modelSize + " the model takes: give --resize to squish them to it"
                    + " as keel predict does");
        }
    }

    /**
     * The model's predictions on the new data against its predictions on the reference's
     * validation split, where the estimate of accuracy is calibrated; none when the run kept no
     * validation split.
     */
    private Optional<DriftSection> predictions(ReferenceRun run, TrainedModel model, PreparedData reference,
            ModelInputs fresh, long sampleSeed) {
        if (reference.valid().itemCount() == 0) {
            spec.commandLine().getErr().println("keel: " + run.name() + " kept no validation split"
                    + " (data.valid_fraction 0): no prediction drift or accuracy estimate, which calibrate on it");
            return Optional.empty();
        }
        ModelInputs valid = ModelInputs.of(reference.valid(), model.manager());
        PredictionDriftOptions defaults = PredictionDriftOptions.defaults();
        return Optional.of(new PredictionsSection(PredictionDrift.measure(model, valid, fresh,
                run.config().interpret().reviewBelow(), new PredictionDriftOptions(defaults.alpha(),
                        defaults.resamples(), defaults.level(), sampleSeed, defaults.batchSize()))));
    }

    private static void write(Path folder, DriftReport report) {
        try {
            Files.createDirectories(folder);
            RunDirectory.writeAtomically(folder.resolve("drift.json"), DriftReport.JSON.writeValueAsBytes(report));
        } catch (IOException e) {
            throw WriteFailedException.of(folder, e);
        }
        RunDirectory.writeAtomically(folder.resolve("drift.html"),
                DriftPage.render(report).getBytes(StandardCharsets.UTF_8));
    }
}
