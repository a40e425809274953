package dev.keel.tune.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.tune.sampler.RandomSampler;
import dev.keel.tune.sampler.Sampler;
import dev.keel.tune.sampler.TpeSampler;
import dev.keel.tune.sampler.TrialHistory;
import dev.keel.tune.space.Distribution;
import dev.keel.tune.space.LogUniform;
import dev.keel.tune.space.Uniform;
import dev.keel.tune.study.Direction;
import dev.keel.tune.study.TrialState;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * Keel's samplers on standard test functions, minimised, trial after trial as a sequential study
 * runs them: prints one JSON line per seed with the best value found. {@code tools/tpe_vs_optuna.py}
 * runs it beside Optuna's samplers on the same functions.
 *
 * <pre>
 * java -cp tune/target/keel-tune.jar dev.keel.tune.bench.SamplerBench \
 *     --function branin|hartmann6|log-quadratic --sampler tpe|tpe-multivariate|random [--trials 50] [--seeds 20]
 * </pre>
 *
 * Seeds run from 0. The functions: Branin on x1 in [-5, 10], x2 in [0, 15] (minimum 0.397887);
 * Hartmann-6 on [0, 1]^6 (minimum -3.32237); the log-quadratic
 * (log10 lr - log10 3e-3)^2 + (log10 wd - log10 1e-4)^2 with lr and wd log-uniform in [1e-5, 1]
 * (minimum 0), a learning rate and a weight decay as a tuner meets them.
 */
public final class SamplerBench {
    /** Hartmann-6's standard constants. */
    private static final double[] HARTMANN_ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] HARTMANN_A = {
        {10, 3, 17, 3.5, 1.7, 8},
        {0.05, 10, 17, 0.1, 8, 14},
        {3, 3.5, 1.7, 10, 17, 8},
        {17, 8, 0.05, 10, 0.1, 14},
    };
    private static final double[][] HARTMANN_P = {
        {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
        {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
        {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
        {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381},
    };

    private SamplerBench() {
    }

    /** A test function: its search space and its objective over a proposal. */
    record Problem(Map<String, Distribution> space, ToDoubleFunction<Map<String, Double>> objective) {
    }

    public static void main(String[] args) {
        String function = "branin";
        String sampler = "tpe";
        int trials = 50;
        int seeds = 20;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length) {
                usage("missing the value of " + arg);
            }
            String value = args[++i];
            switch (arg) {
                case "--function" -> function = value;
                case "--sampler" -> sampler = value;
                case "--trials" -> trials = Integer.parseInt(value);
                case "--seeds" -> seeds = Integer.parseInt(value);
                default -> usage("unknown option " + arg);
            }
        }
        Problem problem = problem(function);
        ObjectMapper json = new ObjectMapper();
        for (int seed = 0; seed < seeds; seed++) {
            Sampler chosen = switch (sampler) {
                case "tpe" -> new TpeSampler(problem.space(), Direction.MINIMIZE, seed);
                case "tpe-multivariate" -> new TpeSampler(problem.space(), Direction.MINIMIZE, seed,
                        new TpeSampler.Options(TpeSampler.DEFAULT_STARTUP_TRIALS, TpeSampler.DEFAULT_EI_CANDIDATES,
                                true));
                case "random" -> new RandomSampler(problem.space(), seed);
                default -> {
                    usage("unknown sampler " + sampler + " (tpe, tpe-multivariate or random)");
                    yield null;
                }
            };
            long start = System.nanoTime();
            Best best = run(chosen, problem, trials);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("function", function);
            line.put("sampler", "keel-" + sampler);
            line.put("seed", seed);
            line.put("trials", trials);
            line.put("best", best.value());
            line.put("best_params", best.params());
            line.put("seconds", seconds);
            try {
                System.out.println(json.writeValueAsString(line));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The best trial of a study: its value and its values. */
    record Best(double value, Map<String, Double> params) {
    }

    /** The best trial of a sequential study of {@code trials} trials. */
    static Best run(Sampler sampler, Problem problem, int trials) {
        List<TrialHistory> history = new ArrayList<>();
        Best best = new Best(Double.POSITIVE_INFINITY, Map.of());
        for (int number = 0; number < trials; number++) {
            Map<String, Double> params = sampler.propose(number, history);
            double value = problem.objective().applyAsDouble(params);
            if (value < best.value()) {
                best = new Best(value, params);
            }
            history.add(new TrialHistory(number, params, TrialState.COMPLETE, value, new TreeMap<>()));
        }
        return best;
    }

    static Problem problem(String name) {
        Map<String, Distribution> space = new LinkedHashMap<>();
        switch (name) {
            case "branin" -> {
                space.put("x1", new Uniform(-5, 10));
                space.put("x2", new Uniform(0, 15));
                return new Problem(space, p -> branin(p.get("x1"), p.get("x2")));
            }
            case "hartmann6" -> {
                for (int i = 1; i <= 6; i++) {
                    space.put("x" + i, new Uniform(0, 1));
                }
                return new Problem(space, p -> {
                    double[] x = new double[6];
                    for (int i = 0; i < 6; i++) {
                        x[i] = p.get("x" + (i + 1));
                    }
                    return hartmann6(x);
                });
            }
            case "log-quadratic" -> {
                space.put("lr", new LogUniform(1e-5, 1));
                space.put("wd", new LogUniform(1e-5, 1));
                return new Problem(space, p -> logQuadratic(p.get("lr"), p.get("wd")));
            }
            default -> {
                usage("unknown function " + name + " (branin, hartmann6 or log-quadratic)");
                return null;
            }
        }
    }

    static double branin(double x1, double x2) {
        double b = 5.1 / (4 * Math.PI * Math.PI);
        double c = 5 / Math.PI;
        double t = 1 / (8 * Math.PI);
        double square = x2 - b * x1 * x1 + c * x1 - 6;
        return square * square + 10 * (1 - t) * Math.cos(x1) + 10;
    }

    static double hartmann6(double[] x) {
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            double inner = 0;
            for (int j = 0; j < 6; j++) {
                double d = x[j] - HARTMANN_P[i][j];
                inner += HARTMANN_A[i][j] * d * d;
            }
            sum += HARTMANN_ALPHA[i] * Math.exp(-inner);
        }
        return -sum;
    }

    static double logQuadratic(double lr, double wd) {
        double a = Math.log10(lr) - Math.log10(3e-3);
        double b = Math.log10(wd) - Math.log10(1e-4);
        return a * a + b * b;
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: SamplerBench --function branin|hartmann6|log-quadratic"
                + " --sampler tpe|tpe-multivariate|random [--trials 50] [--seeds 20]");
        System.exit(2);
    }
}
