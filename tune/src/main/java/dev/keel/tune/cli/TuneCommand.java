package dev.keel.tune.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.keel.trainer.config.ConfigException;
import dev.keel.trainer.config.RunConfig;
import dev.keel.trainer.track.RunDirectory;
import dev.keel.tune.prune.Asha;
import dev.keel.tune.prune.NoPruner;
import dev.keel.tune.prune.Pruner;
import dev.keel.tune.report.StudyFiles;
import dev.keel.tune.sampler.GridSampler;
import dev.keel.tune.sampler.Samplers;
import dev.keel.tune.space.SearchSpace;
import dev.keel.tune.space.SpaceCheck;
import dev.keel.tune.space.SpaceFile;
import dev.keel.tune.store.StudyStore;
import dev.keel.tune.study.Study;
import dev.keel.tune.study.StudySettings;
import dev.keel.tune.study.Trial;
import dev.keel.tune.trial.LocalTrials;
import dev.keel.tune.trial.TrialExecutor;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/** {@code keel tune CONFIG --space SPACE}: a hyperparameter search, each trial an ordinary run. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {"Search hyperparameters: each trial trains the config with values drawn from the space"
                + " (TPE, random or grid), paused at ASHA's rungs and continued exactly when it ranks high enough.",
                "The study goes to studies/<time>-<name>/: study.db, trials/ (one run directory per trial),"
                        + " trials.csv, best.yaml, study.html."})
final class TuneCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The config's copy and the space's inside the study folder: the study resumes from these alone. */
    private static final String CONFIG_COPY = "config.yaml";
    private static final String SPACE_COPY = "space.yaml";

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "The YAML config the trials train.")
    private Path config;

    @Option(names = "--space", paramLabel = "FILE",
            description = "The search space (YAML); default: the config's tune: section.")
    private Path spaceFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key for every trial. Repeatable.")
    private List<String> overrides = new ArrayList<>();

    @Option(names = "--trials", paramLabel = "N", description = "How many trials to start (default: the space's trials, else 20).")
    private Integer trials;

    @Option(names = "--sampler", paramLabel = "NAME", description = "tpe, random or grid (default: the space's, else tpe).")
    private String sampler;

    @Option(names = "--pruner", paramLabel = "NAME", description = "asha or none (default: the space's, else asha).")
    private String pruner;

    @Option(names = "--seed", paramLabel = "N", description = "The study's seed: the same seed proposes the same trials.")
    private Long seed;

    @Option(names = "--parallel", paramLabel = "N",
            description = "Trials training at once; on this machine they split its cores (default: the space's, else 1).")
    private Integer parallel;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "Run the trials on Spark: local[N] (in this process) or spark://HOST:7077 (a standalone cluster).")
    private String spark;

    @Option(names = "--spark-gpus",
            description = "On a Spark cluster whose workers offer GPUs: each trial asks for one and trains on it.")
    private boolean sparkGpus;

    @Option(names = "--name", paramLabel = "NAME", description = "The study's name (default: the config's name).")
    private String name;

    @Option(names = "--studies-root", paramLabel = "DIR", defaultValue = "studies",
            description = "Folder for new studies, each named <time>-<name> (default: ${DEFAULT-VALUE}).")
    private Path studiesRoot;

    @Option(names = "--study-dir", paramLabel = "DIR", description = "Write the study here (a new or empty folder).")
    private Path studyDir;

    @Option(names = "--resume", paramLabel = "STUDY",
            description = "Continue the study in this folder after a crash, a kill or Ctrl-C: recorded trials are not run again.")
    private Path resume;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (resume != null) {
            if (config != null || spaceFile != null || !overrides.isEmpty()) {
                throw new ConfigException("--resume " + resume + ": takes no CONFIG, --space or --set (the study keeps"
                        + " its own); only --spark or --parallel may be given again");
            }
            return resumeStudy(out);
        }
        if (config == null) {
            throw new ConfigException("keel tune: expected CONFIG (the YAML config the trials train) or --resume STUDY");
        }
        SpaceFile.Spec spec = spec(config, spaceFile);
        StudySettings options = withOptions(spec.settings());
        String spaceSource = spaceFile != null ? spaceFile.toString() : config + " (tune:)";
        RunConfig base = SpaceCheck.check(config, overrides, spec.space(), options, spaceSource);
        List<String> baseOverrides = new ArrayList<>(overrides);
        absolute("data.path", base.data().path()).ifPresent(baseOverrides::add);
        absolute("model.pretrained", base.model().pretrained()).ifPresent(baseOverrides::add);
        String studyName = name != null ? name : base.name();
        try (TrialExecutor executor = executor(options.parallel(), parallel != null)) {
            StudySettings settings = gridSized(options.withParallel(parallel == null && spark != null
                    ? executor.slots() : options.parallel()), spec.space(), spaceSource);
            return create(out, studyName, spec, settings, baseOverrides, base, executor);
        }
    }

    private int create(PrintStream out, String studyName, SpaceFile.Spec spec, StudySettings settings,
            List<String> baseOverrides, RunConfig base, TrialExecutor executor) {
        try (RunDirectory folder = RunDirectory.create(studiesRoot, studyName, studyDir, commandLine())) {
            Path root = folder.root().toAbsolutePath();
            copy(config, root.resolve(CONFIG_COPY));
            if (spaceFile != null) {
                copy(spaceFile, root.resolve(SPACE_COPY));
            }
            try (StudyStore store = StudyStore.create(root)) {
                store.putMeta("name", studyName);
                store.putMeta("settings", json(settings));
                store.putMeta("overrides", json(baseOverrides));
                store.putMeta("space_source", spaceFile != null ? SPACE_COPY : CONFIG_COPY);
                return run(out, root, studyName, spec.space(), settings, baseOverrides, base.totalEpochs(), store,
                        executor);
            }
        }
    }

    private int resumeStudy(PrintStream out) {
        try (RunDirectory folder = RunDirectory.open(resume, commandLine());
                StudyStore store = StudyStore.openExisting(resume)) {
            Path root = folder.root().toAbsolutePath();
            String spaceSource = store.meta("space_source").orElse(CONFIG_COPY);
            SpaceFile.Spec spec = spec(root.resolve(CONFIG_COPY), spaceSource.equals(SPACE_COPY)
                    ? root.resolve(SPACE_COPY) : null);
            StudySettings recorded = read(store.meta("settings").orElseThrow(), StudySettings.class);
            if (parallel != null && parallel != recorded.parallel()) {
                throw new ConfigException("--parallel " + parallel + ": the study decided its trials " + recorded.parallel()
                        + " at a time; continue it with --parallel " + recorded.parallel()
                        + " (the decisions follow from it)");
            }
            List<String> baseOverrides = read(store.meta("overrides").orElseThrow(), new TypeReference<List<String>>() {});
            RunConfig base = SpaceCheck.check(root.resolve(CONFIG_COPY), baseOverrides, spec.space(), recorded,
                    root.resolve(spaceSource).toString());
            String studyName = store.meta("name").orElse(base.name());
            out.println("resuming study " + root + ": the recorded trials are replayed, not trained again");
            try (TrialExecutor executor = executor(recorded.parallel(), true)) {
                return run(out, root, studyName, spec.space(), recorded, baseOverrides, base.totalEpochs(), store,
                        executor);
            }
        }
    }

    private int run(PrintStream out, Path root, String studyName, SearchSpace space, StudySettings settings,
            List<String> baseOverrides, int maxEpochs, StudyStore store, TrialExecutor executor) {
        Pruner prune = settings.pruner().equals("asha")
                ? new Asha(settings.graceEpochs(), settings.reduction(), maxEpochs) : new NoPruner(maxEpochs);
        out.printf(Locale.ROOT, "study %s: %d trials, %s sampler (seed %d), pruner %s, %s %s; trials on %s%n", root,
                settings.trials(), settings.sampler(), settings.seed(), prune.describe(),
                settings.objective().direction().name().toLowerCase(Locale.ROOT), settings.objective().metric(),
                executor.describe());
        Study.Setup setup = new Study.Setup(root, root.resolve(CONFIG_COPY), baseOverrides, space, settings, maxEpochs);
        Study study = new Study(setup, Samplers.of(settings, space), prune, store, executor, out);
        StudyFiles files = new StudyFiles(setup, studyName, prune, out);
        AtomicInteger stop = new AtomicInteger();
        java.util.Map<Signal, sun.misc.SignalHandler> previous = handleSignals(stop, out);
        long start = System.nanoTime();
        Study.Outcome outcome;
        try {
            outcome = study.run(() -> stop.get() != 0, files::write);
        } finally {
            previous.forEach(Signal::handle);
        }
        files.write(outcome);
        summarise(out, root, outcome, settings, maxEpochs, (System.nanoTime() - start) / 1e9);
        if (outcome.status().equals("interrupted")) {
            out.println("interrupted: continue with ./keel tune --resume " + root);
            return stop.get() != 0 ? 128 + stop.get() : 130; // a trial's process was interrupted: as by SIGINT
        }
        return StudyFiles.best(outcome.trials(), settings.objective()).isPresent() ? 0 : 3;
    }

    private static void summarise(PrintStream out, Path root, Study.Outcome outcome, StudySettings settings,
            int maxEpochs, double seconds) {
        int epochs = outcome.trials().stream().mapToInt(Trial::epochsDone).sum();
        out.printf(Locale.ROOT, "%d trials, %d epochs trained of %d without pruning (%.0f%%), %.0f s%n",
                outcome.trials().size(), epochs, outcome.trials().size() * maxEpochs,
                100.0 * epochs / Math.max(1, outcome.trials().size() * maxEpochs), seconds);
        StudyFiles.best(outcome.trials(), settings.objective()).ifPresentOrElse(best -> out.printf(Locale.ROOT,
                "best: trial %d, %s %.4f; its config: %s (./keel train %s)%n", best.number(),
                settings.objective().metric(), best.value(), root.resolve(StudyFiles.BEST_YAML),
                root.resolve(StudyFiles.BEST_YAML)), () -> out.println("no trial completed: see " + root.resolve(
                        StudyFiles.TRIALS_CSV) + " for the reasons"));
    }

    private static SpaceFile.Spec spec(Path config, Path spaceFile) {
        if (spaceFile != null) {
            return SpaceFile.read(spaceFile);
        }
        return SpaceFile.fromConfig(config).orElseThrow(() -> new ConfigException(config
                + ": no search space: give --space FILE or a tune: section in the config (see ./keel tune --help)"));
    }

    private StudySettings withOptions(StudySettings s) {
        if (trials != null && trials < 1) {
            throw new ConfigException("--trials " + trials + ": expected at least 1");
        }
        if (parallel != null && parallel < 1) {
            throw new ConfigException("--parallel " + parallel + ": expected at least 1");
        }
        if (sampler != null && !List.of("tpe", "random", "grid").contains(sampler)) {
            throw new ConfigException("--sampler " + sampler + ": expected tpe, random or grid");
        }
        if (pruner != null && !List.of("asha", "none").contains(pruner)) {
            throw new ConfigException("--pruner " + pruner + ": expected asha or none");
        }
        return new StudySettings(trials != null ? trials : s.trials(), s.objective(),
                sampler != null ? sampler : s.sampler(), s.multivariate(), pruner != null ? pruner : s.pruner(), s.graceEpochs(),
                s.reduction(), seed != null ? seed : s.seed(), parallel != null ? parallel : s.parallel());
    }

    /** A grid study's budget: at most one trial per grid point. */
    private static StudySettings gridSized(StudySettings s, SearchSpace space, String spaceSource) {
        if (!s.sampler().equals("grid")) {
            return s;
        }
        int points;
        try {
            points = new GridSampler(space.params(), s.seed()).gridSize();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(spaceSource + ": params: " + e.getMessage());
        }
        if (s.trials() <= points) {
            return s;
        }
        System.out.println("grid: " + points + " points, so " + points + " trials (not " + s.trials() + ")");
        return s.withTrials(points);
    }

    /**
     * Where the trials train: this machine with {@code slots} at once, or Spark.
     *
     * @param given whether {@code slots} was asked for (else a Spark cluster's own count stands)
     */
    private TrialExecutor executor(int slots, boolean given) {
        if (spark != null) {
            return SparkExecutors.of(spark, given ? slots : null, sparkGpus);
        }
        if (sparkGpus) {
            throw new ConfigException("--spark-gpus: needs --spark MASTER (a cluster whose workers offer GPUs)");
        }
        return new LocalTrials(slots);
    }

    /** An override making a relative path absolute, so trials find it from any working folder or worker. */
    private static java.util.Optional<String> absolute(String key, String path) {
        if (path == null || path.isBlank() || Path.of(path).isAbsolute() || !Files.exists(Path.of(path))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(SearchSpace.assignment(key, TextNode.valueOf(Path.of(path).toAbsolutePath()
                .normalize().toString())));
    }

    private List<String> commandLine() {
        List<String> line = new ArrayList<>(List.of("tune"));
        if (config != null) {
            line.add(config.toString());
        }
        if (resume != null) {
            line.addAll(List.of("--resume", resume.toString()));
        }
        return line;
    }

    /** Stops the study on SIGINT or SIGTERM; gives the handlers it replaced, to put back. */
    private static java.util.Map<Signal, sun.misc.SignalHandler> handleSignals(AtomicInteger stop, PrintStream out) {
        java.util.Map<Signal, sun.misc.SignalHandler> previous = new java.util.LinkedHashMap<>();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal signal = new Signal(name);
                previous.put(signal, Signal.handle(signal, s -> {
                    if (stop.getAndSet(s.getNumber()) != 0) {
                        Runtime.getRuntime().halt(128 + s.getNumber());
                    }
                    out.println();
                    out.println("SIG" + s.getName() + ": no new trials start; the study stops once the trials"
                            + " training now stop (Ctrl-C reaches them too: they stop at a checkpoint; SIG" + s.getName()
                            + " again stops at once)");
                }));
            } catch (IllegalArgumentException e) {
                // The JVM does not let us handle it: keep its default.
            }
        }
        return previous;
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " into the study", e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new ConfigException("the study store's settings cannot be read: " + e.getOriginalMessage());
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new ConfigException("the study store's settings cannot be read: " + e.getOriginalMessage());
        }
    }
}
