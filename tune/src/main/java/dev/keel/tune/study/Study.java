package dev.keel.tune.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.trainer.config.ConfigException;
import dev.keel.tune.prune.Pruner;
import dev.keel.tune.prune.RungTrial;
import dev.keel.tune.sampler.Sampler;
import dev.keel.tune.sampler.TrialHistory;
import dev.keel.tune.space.SearchSpace;
import dev.keel.tune.store.StudyStore;
import dev.keel.tune.trial.TrialExecutor;
import dev.keel.tune.trial.TrialJob;
import dev.keel.tune.trial.TrialReport;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The driver of a study: asks the sampler for trials and the pruner for promotions, hands jobs to
 * the executor, and records every job and report in the store.
 *
 * <p>Decisions are made in issue order: job {@code k} is decided once the reports of every job up
 * to {@code k - slots} are in, with the jobs still out counted as running. So a study's decisions
 * depend on its seed and its trials' results, not on which trial happened to finish first, and
 * {@code --resume} replays the recorded reports through the same decisions, then trains only what
 * is missing: no trial is lost and none trains twice.
 */
public final class Study {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What the study trains with.
     *
     * @param folder the study's folder
     * @param config the study's copy of the base config
     * @param baseOverrides overrides every trial gets before its own values (the user's {@code --set}s)
     * @param maxEpochs the epochs of a trial trained to the end
     */
    public record Setup(Path folder, Path config, List<String> baseOverrides, SearchSpace space, StudySettings settings,
            int maxEpochs) {}

    /** How the study ended: {@code finished}, or {@code interrupted} (resumable). */
    public record Outcome(String status, List<Trial> trials, List<StudyStore.Decision> decisions) {}

    private record InFlight(StudyStore.JobRow job, CompletableFuture<TrialReport> report, boolean replayed) {}

    private final Setup setup;
    private final Sampler sampler;
    private final Pruner pruner;
    private final StudyStore store;
    private final TrialExecutor executor;
    private final PrintStream out;
    private final List<Trial> trials = new ArrayList<>();
    private final Map<Long, StudyStore.JobRow> recordedJobs;
    private final Map<Long, TrialReport> recordedReports;
    private long nextSeq;

    public Study(Setup setup, Sampler sampler, Pruner pruner, StudyStore store, TrialExecutor executor, PrintStream out) {
        this.setup = setup;
        this.sampler = sampler;
        this.pruner = pruner;
        this.store = store;
        this.executor = executor;
        this.out = out;
        this.recordedJobs = store.jobs();
        this.recordedReports = store.reports();
    }

    /**
     * Runs the study until its trial budget is spent and no paused trial can be promoted, or until
     * {@code stop} says so (the jobs out are then left to finish, and the study can resume).
     *
     * @param afterReport called after each report is recorded (to refresh the study's files)
     */
    public Outcome run(BooleanSupplier stop, Consumer<Outcome> afterReport) {
        Deque<InFlight> inFlight = new ArrayDeque<>();
        boolean interrupted = false;
        while (true) {
            while (!interrupted && inFlight.size() < setup.settings().parallel() && !stop.getAsBoolean()) {
                Optional<InFlight> next = issue(inFlight.isEmpty());
                if (next.isEmpty()) {
                    break;
                }
                inFlight.addLast(next.get());
            }
            if (inFlight.isEmpty()) {
                break;
            }
            InFlight oldest = inFlight.removeFirst();
            TrialReport report = oldest.report().join();
            if (report.incomplete()) {
                interrupted = true; // the trial's process was stopped: its job is not done, resume reruns it
                continue;
            }
            if (!oldest.replayed()) {
                store.addReport(report);
            }
            apply(oldest.job(), report);
            afterReport.accept(outcome("running"));
            interrupted |= stop.getAsBoolean();
        }
        if (interrupted || stop.getAsBoolean()) {
            return outcome("interrupted");
        }
        trials.stream().filter(t -> t.state() == TrialState.PAUSED).forEach(Trial::prune);
        return outcome("finished");
    }

    private Outcome outcome(String status) {
        return new Outcome(status, List.copyOf(trials), store.decisions());
    }

    /**
     * The next job, decided now: a promotion first, else a new trial while the budget lasts, else,
     * once nothing else is left to do and no trial has completed, the leader of the highest rung
     * goes on, so that a study of few trials still ends with a trained best.
     *
     * @param idle whether no job is out
     */
    private Optional<InFlight> issue(boolean idle) {
        Optional<RungTrial> promoted = pruner.promotable(trials.stream().map(this::rungView).toList());
        if (promoted.isEmpty() && idle && trials.size() >= setup.settings().trials()
                && trials.stream().noneMatch(t -> t.state() == TrialState.COMPLETE)) {
            promoted = leader();
        }
        StudyStore.JobRow job;
        if (promoted.isPresent()) {
            Trial trial = trials.get(promoted.get().number());
            int rung = trial.epochsDone();
            job = new StudyStore.JobRow(nextSeq, trial.number(), pruner.nextStop(rung), "continue");
            check(job);
            store.addDecision(new StudyStore.Decision(trial.number(), rung, trial.lastValue(), "promoted", job.seq()));
            trial.resume();
        } else if (trials.size() < setup.settings().trials()) {
            int number = trials.size();
            List<TrialHistory> history = trials.stream().map(Trial::history).toList();
            Map<String, Double> params = sampler.propose(number, history);
            List<String> overrides = new ArrayList<>(setup.baseOverrides());
            overrides.addAll(setup.space().overrides(params));
            Path runDir = setup.folder().resolve("trials").resolve(String.format(Locale.ROOT, "trial-%04d", number));
            Trial trial = new Trial(number, params, overrides, runDir);
            job = new StudyStore.JobRow(nextSeq, number, pruner.nextStop(0), "start");
            if (check(job)) {
                store.addTrial(number, json(params), json(overrides), runDir.toString());
            }
            trials.add(trial);
            out.println("trial " + number + " (" + (number + 1) + " of " + setup.settings().trials() + "): "
                    + describe(trial));
        } else {
            return Optional.empty();
        }
        nextSeq++;
        Trial trial = trials.get(job.trial());
        TrialReport recorded = recordedReports.get(job.seq());
        if (recorded != null) {
            return Optional.of(new InFlight(job, CompletableFuture.completedFuture(recorded), true));
        }
        TrialJob trialJob = new TrialJob(job.seq(), trial.number(), trial.runDir().toString(),
                setup.config().toString(), trial.overrides(), job.pauseAfterEpoch(), executor.threadsPerTrial(),
                setup.folder().resolve("logs").resolve(trial.runDir().getFileName() + ".log").toString());
        return Optional.of(new InFlight(job, executor.submit(trialJob), false));
    }

    /**
     * Whether {@code job} is new; a job the store already holds must be the one it recorded, else
     * the study's settings changed under it.
     */
    private boolean check(StudyStore.JobRow job) {
        StudyStore.JobRow recorded = recordedJobs.get(job.seq());
        if (recorded == null) {
            store.addJob(job);
            return true;
        }
        if (!recorded.equals(job)) {
            throw new ConfigException(setup.folder() + ": the study's store recorded job " + job.seq() + " as " + recorded
                    + " but its settings now decide " + job + "; was the study's config, space or store changed?");
        }
        return false;
    }

    private void apply(StudyStore.JobRow job, TrialReport report) {
        Trial trial = trials.get(job.trial());
        trial.apply(report, setup.settings().objective());
        String metric = setup.settings().objective().metric();
        String line = "trial " + trial.number() + " ";
        switch (trial.state()) {
            case FAILED -> line += "failed: " + trial.reason();
            case PAUSED -> {
                store.addDecision(new StudyStore.Decision(trial.number(), trial.epochsDone(), trial.lastValue(), "paused",
                        job.seq()));
                line += String.format(Locale.ROOT, "paused at epoch %d: %s %.4f", trial.epochsDone(), metric,
                        trial.lastValue());
            }
            default -> line += String.format(Locale.ROOT, "completed %d epochs: %s %.4f", trial.epochsDone(), metric,
                    trial.lastValue() == null ? Double.NaN : trial.lastValue());
        }
        out.println(line + String.format(Locale.ROOT, " (%.1f s%s)", report.seconds(),
                report.attempts() > 1 ? ", attempt " + report.attempts() : ""));
    }

    /** The paused trial that trained furthest, the best of those. */
    private Optional<RungTrial> leader() {
        return trials.stream().filter(t -> t.state() == TrialState.PAUSED).map(this::rungView)
                .max(java.util.Comparator.comparingInt(RungTrial::epochsDone)
                        .thenComparing(t -> -t.valueAtEpoch().get(t.epochsDone()))
                        .thenComparing(t -> -t.number()));
    }

    private RungTrial rungView(Trial trial) {
        Map<Integer, Double> values = trial.objective().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> setup.settings().objective().direction().lowerIsBetter(e.getValue())));
        return new RungTrial(trial.number(), trial.state() == TrialState.PAUSED, trial.state() == TrialState.RUNNING,
                trial.epochsDone(), values);
    }

    private String describe(Trial trial) {
        return setup.space().configValues(trial.params()).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
