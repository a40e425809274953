package dev.keel.tune.sampler;

import dev.keel.tune.space.Distribution;
import dev.keel.tune.study.Direction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The Tree-structured Parzen Estimator, with the semantics and defaults of Optuna's
 * {@code TPESampler}: by default each hyperparameter on its own ({@code multivariate=False}), or
 * all of them in one estimator ({@link Options#multivariate()}, Optuna 5's default for one
 * objective).
 *
 * <p>Until {@code startupTrials} (10) trials have finished, proposals are {@link RandomSampler}'s
 * under the same seed. After that the finished trials are split into a good ("below") set of
 * {@code min(ceil(0.1 n), 25)} trials and the rest ("above"); a Parzen estimator l is fitted to
 * the good trials' values and g to the others', {@code eiCandidates} (24) candidates are drawn
 * from l, and the one with the largest log l(x) - log g(x) is proposed. Older trials weigh less
 * once there are more than 25 in a set (a linear ramp, the newest 25 at full weight).
 *
 * <p>How trials are split: complete trials rank by their value (best first, as {@code direction}
 * says); paused and pruned trials, which fill the good set only when the complete ones are too few,
 * rank by how far they got (more epochs first), then by their value at their last epoch; running
 * trials always go to the above set, as if they were bad (Optuna's constant liar), so that trials
 * proposed side by side do not all land on the same point; failed trials, and complete trials
 * without a value, are left out.
 *
 * <p>A proposal is a pure function of the seed, the trial's number and the history.
 */
public final class TpeSampler implements Sampler {
    /** Random trials before the estimators take over, as in Optuna. */
    public static final int DEFAULT_STARTUP_TRIALS = 10;
    /** Candidates drawn from the good trials' estimator per proposal, as in Optuna. */
    public static final int DEFAULT_EI_CANDIDATES = 24;
    /** The good set's cap: beyond 250 trials it stops growing, as in Optuna. */
    private static final int MAX_BELOW = 25;
    /** How many of the newest observations keep full weight, as in Optuna. */
    private static final int FULL_WEIGHT = 25;
    /** Separate this sampler's streams from those of other samplers under the same seed. */
    private static final long PURPOSE = 0x54504531L;
    private static final long PURPOSE_JOINT = 0x54504532L;

    /**
     * How TPE proposes.
     *
     * @param startupTrials finished (complete, paused or pruned) trials needed before TPE proposes;
     *     until then proposals are random
     * @param eiCandidates candidates drawn per proposal, of which the most promising is proposed
     * @param multivariate one estimator over all keys together (Optuna's {@code multivariate=True}),
     *     which sees how keys interact, instead of one estimator per key
     */
    public record Options(int startupTrials, int eiCandidates, boolean multivariate) {
        public Options {
            if (startupTrials < 0) {
                throw new IllegalArgumentException("startup trials must not be negative, got " + startupTrials);
            }
            if (eiCandidates < 1) {
                throw new IllegalArgumentException("candidates must be at least 1, got " + eiCandidates);
            }
        }

        /**
         * Optuna 4's defaults: 10 startup trials, 24 candidates, one estimator per key. Optuna 5
         * estimates all keys together by default, and so does {@code keel tune}
         * ({@code multivariate: true}, see {@link Samplers}).
         */
        public static Options defaults() {
            return new Options(DEFAULT_STARTUP_TRIALS, DEFAULT_EI_CANDIDATES, false);
        }
    }

    private final Map<String, Distribution> space;
    private final Direction direction;
    private final long seed;
    private final Options options;
    private final RandomSampler startup;

    /**
     * TPE with {@link Options#defaults()}.
     *
     * @param space the search space, config key path to distribution, in the config's order
     * @param direction whether the objective is minimised or maximised
     * @param seed the study's seed
     */
    public TpeSampler(Map<String, Distribution> space, Direction direction, long seed) {
        this(space, direction, seed, Options.defaults());
    }

    /** TPE with its own {@code options}; the other parameters as in {@link #TpeSampler(Map, Direction, long)}. */
    public TpeSampler(Map<String, Distribution> space, Direction direction, long seed, Options options) {
        this.space = new LinkedHashMap<>(space);
        this.direction = direction;
        this.seed = seed;
        this.options = options;
        this.startup = new RandomSampler(space, seed);
    }

    @Override
    public Map<String, Double> propose(int number, List<TrialHistory> history) {
        Split split = split(number, history, direction);
        if (split.finished() < options.startupTrials()) {
            return startup.propose(number, history);
        }
        if (options.multivariate()) {
            return proposeJointly(number, split);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        space.forEach((key, distribution) -> values.put(key, proposeOne(number, key, distribution, split)));
        return values;
    }

    private double proposeOne(int number, String key, Distribution distribution, Split split) {
        Distribution[] one = {distribution};
        String[] keys = {key};
        return bestCandidate(one, observations(keys, one, split.below()), observations(keys, one, split.above()),
                Seeds.stream(seed, PURPOSE, number, key))[0];
    }

    private Map<String, Double> proposeJointly(int number, Split split) {
        String[] keys = space.keySet().toArray(String[]::new);
        Distribution[] distributions = space.values().toArray(Distribution[]::new);
        double[] best = bestCandidate(distributions, observations(keys, distributions, split.below()),
                observations(keys, distributions, split.above()), Seeds.stream(seed, PURPOSE_JOINT, number, ""));
        Map<String, Double> values = new LinkedHashMap<>();
        for (int d = 0; d < keys.length; d++) {
            values.put(keys[d], best[d]);
        }
        return values;
    }

    /** Of the candidates drawn from l (fitted to {@code below}), the one with the largest log l - log g. */
    private double[] bestCandidate(Distribution[] distributions, double[][] below, double[][] above,
            SplittableRandom random) {
        ParzenEstimator good = new ParzenEstimator(distributions, below, weights(below.length));
        ParzenEstimator bad = new ParzenEstimator(distributions, above, weights(above.length));
        double[][] candidates = good.sample(random, options.eiCandidates());
        double[] best = candidates[0];
        double bestScore = Double.NEGATIVE_INFINITY;
        for (double[] candidate : candidates) {
            double score = good.logPdf(candidate) - bad.logPdf(candidate);
            // Strictly greater: the first of equal candidates wins, as in Optuna.
            if (score > bestScore) {
                best = candidate;
                bestScore = score;
            }
        }
        return best;
    }

    /**
     * The trials' values of {@code keys}, one row per trial that has a value of each key inside its
     * distribution (a trial of an older search space may not).
     */
    private static double[][] observations(String[] keys, Distribution[] distributions, List<TrialHistory> trials) {
        List<double[]> rows = new ArrayList<>();
        for (TrialHistory trial : trials) {
            double[] row = new double[keys.length];
            boolean usable = true;
            for (int d = 0; d < keys.length && usable; d++) {
                Double value = trial.params().get(keys[d]);
                usable = value != null && distributions[d].contains(value);
                row[d] = usable ? value : 0;
            }
            if (usable) {
                rows.add(row);
            }
        }
        return rows.toArray(double[][]::new);
    }

    /**
     * How the history splits for trial {@code number}.
     *
     * @param below the good trials, by number
     * @param above the other trials, running ones included, by number
     * @param finished the complete, paused and pruned trials counted (running ones are not)
     */
    record Split(List<TrialHistory> below, List<TrialHistory> above, int finished) {
    }

    /** The split of {@code history} as TPE sees it when proposing trial {@code number}. */
    static Split split(int number, List<TrialHistory> history, Direction direction) {
        List<TrialHistory> complete = new ArrayList<>();
        List<TrialHistory> stopped = new ArrayList<>();
        List<TrialHistory> running = new ArrayList<>();
        List<TrialHistory> byNumber = new ArrayList<>(history);
        // Ties keep the order of the trials' numbers, whatever order the history came in.
        byNumber.sort(Comparator.comparingInt(TrialHistory::number));
        for (TrialHistory trial : byNumber) {
            if (trial.number() == number) {
                continue;
            }
            switch (trial.state()) {
                case COMPLETE -> {
                    if (trial.value() != null && !trial.value().isNaN()) {
                        complete.add(trial);
                    }
                }
                case PAUSED, PRUNED -> stopped.add(trial);
                case RUNNING -> running.add(trial);
                case FAILED -> {
                }
            }
        }
        int finished = complete.size() + stopped.size();
        int wanted = gamma(finished);

        complete.sort(Comparator.comparingDouble(trial -> direction.lowerIsBetter(trial.value())));
        int fromComplete = Math.min(wanted, complete.size());
        List<TrialHistory> below = new ArrayList<>(complete.subList(0, fromComplete));
        List<TrialHistory> above = new ArrayList<>(complete.subList(fromComplete, complete.size()));

        stopped.sort(Comparator.comparingInt(TpeSampler::progressRank)
                .thenComparingDouble(trial -> valueRank(trial, direction)));
        int fromStopped = Math.min(wanted - fromComplete, stopped.size());
        below.addAll(stopped.subList(0, fromStopped));
        above.addAll(stopped.subList(fromStopped, stopped.size()));

        above.addAll(running);
        below.sort(Comparator.comparingInt(TrialHistory::number));
        above.sort(Comparator.comparingInt(TrialHistory::number));
        return new Split(List.copyOf(below), List.copyOf(above), finished);
    }

    /**
     * A paused or pruned trial's first rank, lower is better: minus its last epoch, as a trial that
     * got further is the better one. One that reported no epoch ranks behind every one that did.
     */
    private static int progressRank(TrialHistory trial) {
        return trial.intermediate().isEmpty() ? 1 : -trial.intermediate().lastKey();
    }

    /** Its second rank: its value at its last epoch, turned lower-is-better; a NaN value last. */
    private static double valueRank(TrialHistory trial, Direction direction) {
        if (trial.intermediate().isEmpty()) {
            return 0;
        }
        Double value = trial.intermediate().get(trial.intermediate().lastKey());
        return value == null || value.isNaN() ? Double.POSITIVE_INFINITY : direction.lowerIsBetter(value);
    }

    /** The size of the good set among {@code finished} trials: a tenth, rounded up, at most 25. */
    static int gamma(int finished) {
        return Math.min((int) Math.ceil(0.1 * finished), MAX_BELOW);
    }

    /**
     * The weights of {@code n} observations in the order of their trials' numbers: all 1 up to 25;
     * beyond, the newest 25 get 1 and the older ones a linear ramp from 1/n up towards 1, so that
     * the estimators follow the search as it moves.
     */
    static double[] weights(int n) {
        double[] weights = new double[n];
        Arrays.fill(weights, 1.0);
        int ramp = n - FULL_WEIGHT;
        if (ramp == 1) {
            weights[0] = 1.0 / n;
        } else if (ramp > 1) {
            double start = 1.0 / n;
            for (int i = 0; i < ramp; i++) {
                weights[i] = start + (1.0 - start) * i / (ramp - 1);
            }
        }
        return weights;
    }
}
