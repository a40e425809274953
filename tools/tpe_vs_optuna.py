#!/usr/bin/env python3
"""Keel's TPE against Optuna's on standard test functions, side by side, in one table.

    tools/tpe_vs_optuna.py [--trials 50] [--seeds 20] [--functions branin,hartmann6,log-quadratic]
        [--no-build] [--out-dir benchmarks/results] [--tag TAG]

Each function is minimised by sequential studies of --trials trials, one study per seed (0 to
--seeds - 1), by six samplers:
  keel-tpe               Keel's TpeSampler with its defaults (one estimator per key)
  keel-tpe-multivariate  Keel's TpeSampler with Options.multivariate (one estimator over all keys)
  keel-random            Keel's RandomSampler
  optuna-tpe             optuna.samplers.TPESampler(seed=s), Optuna's defaults; since Optuna 5.0
                         they are multivariate for a single objective
  optuna-tpe-univariate  TPESampler(seed=s, multivariate=False), what keel-tpe implements
  optuna-random          optuna.samplers.RandomSampler(seed=s)
Keel's samplers run in dev.keel.tune.bench.SamplerBench (built into tune/target/keel-tune.jar by
`mvn -q -B -DskipTests package -pl tune -am`, skipped with --no-build), Optuna's in this
interpreter, on the same functions:
  branin         x1 in [-5, 10], x2 in [0, 15]; minimum 0.397887
  hartmann6      [0, 1]^6; minimum -3.32237
  log-quadratic  (log10 lr - log10 3e-3)^2 + (log10 wd - log10 1e-4)^2, lr and wd log-uniform in
                 [1e-5, 1]; minimum 0
Every best value Keel reports is evaluated again here from its parameters, so that both sides are
known to minimise the same function.

The table (mean best value and sample standard deviation over the seeds, the mean regret above the
known minimum, and Keel's TPE against Optuna's of the same kind) is printed and written, with the
machine, the versions and every study's result, to OUT-DIR/<date>-<cpu>-tpe-vs-optuna[-TAG].md
and .json. Needs Optuna in this interpreter (pip install optuna), Java 17 and Maven; nothing else
is installed.
"""

import argparse
import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import bench_compare  # noqa: E402  (machine description, result file names)

JAR = os.path.join(ROOT, "tune", "target", "keel-tune.jar")
FUNCTIONS = ("branin", "hartmann6", "log-quadratic")
MINIMUM = {"branin": 0.397887, "hartmann6": -3.32237, "log-quadratic": 0.0}
KEEL_SAMPLERS = ("tpe", "tpe-multivariate", "random")
OPTUNA_SAMPLERS = ("tpe", "tpe-univariate", "random")
# Keel's TPE and the Optuna TPE it is held against: the same kind of estimator, then both defaults.
PAIRS = (("keel-tpe", "optuna-tpe-univariate"), ("keel-tpe-multivariate", "optuna-tpe"), ("keel-tpe", "optuna-tpe"))
TARGET = 0.10  # Keel's mean best at most 10% (of Optuna's magnitude) worse than Optuna's

HARTMANN_ALPHA = (1.0, 1.2, 3.0, 3.2)
HARTMANN_A = ((10, 3, 17, 3.5, 1.7, 8), (0.05, 10, 17, 0.1, 8, 14),
              (3, 3.5, 1.7, 10, 17, 8), (17, 8, 0.05, 10, 0.1, 14))
HARTMANN_P = ((0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886),
              (0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991),
              (0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650),
              (0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--functions", default=",".join(FUNCTIONS))
    parser.add_argument("--no-build", action="store_true", help="use the tune jar as it is")
    parser.add_argument("--out-dir", default=os.path.join(ROOT, "benchmarks", "results"))
    parser.add_argument("--tag", default="", help="appended to the result file names")
    args = parser.parse_args()
    args.functions = [f for f in args.functions.split(",") if f]
    for function in args.functions:
        if function not in FUNCTIONS:
            parser.error(f"unknown function {function} (one of {', '.join(FUNCTIONS)})")
    return args


# ----------------------------------------------------------------------------------------------
# The functions, as SamplerBench defines them


def branin(x1, x2):
    b = 5.1 / (4 * math.pi ** 2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def hartmann6(x):
    return -sum(alpha * math.exp(-sum(a * (xj - p) ** 2 for a, xj, p in zip(row_a, x, row_p)))
                for alpha, row_a, row_p in zip(HARTMANN_ALPHA, HARTMANN_A, HARTMANN_P))


def log_quadratic(lr, wd):
    return (math.log10(lr) - math.log10(3e-3)) ** 2 + (math.log10(wd) - math.log10(1e-4)) ** 2


def evaluate(function, params):
    if function == "branin":
        return branin(params["x1"], params["x2"])
    if function == "hartmann6":
        return hartmann6([params[f"x{i}"] for i in range(1, 7)])
    return log_quadratic(params["lr"], params["wd"])


def optuna_objective(function):
    def objective(trial):
        if function == "branin":
            params = {"x1": trial.suggest_float("x1", -5, 10), "x2": trial.suggest_float("x2", 0, 15)}
        elif function == "hartmann6":
            params = {f"x{i}": trial.suggest_float(f"x{i}", 0, 1) for i in range(1, 7)}
        else:
            params = {"lr": trial.suggest_float("lr", 1e-5, 1, log=True),
                      "wd": trial.suggest_float("wd", 1e-5, 1, log=True)}
        return evaluate(function, params)
    return objective


# ----------------------------------------------------------------------------------------------
# Running the studies


def build():
    print("building the tune module: mvn -q -B -DskipTests package -pl tune -am", flush=True)
    subprocess.run(["mvn", "-q", "-B", "-DskipTests", "package", "-pl", "tune", "-am"], cwd=ROOT, check=True)


def run_keel(function, sampler, args):
    cmd = ["java", "-cp", JAR, "dev.keel.tune.bench.SamplerBench", "--function", function,
           "--sampler", sampler, "--trials", str(args.trials), "--seeds", str(args.seeds)]
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True)
    results = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if len(results) != args.seeds:
        sys.exit(f"SamplerBench printed {len(results)} results, expected {args.seeds}: {' '.join(cmd)}")
    for result in results:
        again = evaluate(function, result["best_params"])
        if not math.isclose(again, result["best"], rel_tol=1e-9, abs_tol=1e-12):
            sys.exit(f"{function} differs between Keel and this script: Keel reports {result['best']} "
                     f"at {result['best_params']}, this script computes {again}")
    return results


def run_optuna(optuna, function, sampler, args):
    results = []
    for seed in range(args.seeds):
        if sampler == "tpe":
            chosen = optuna.samplers.TPESampler(seed=seed)
        elif sampler == "tpe-univariate":
            chosen = optuna.samplers.TPESampler(seed=seed, multivariate=False)
        else:
            chosen = optuna.samplers.RandomSampler(seed=seed)
        start = time.perf_counter()
        study = optuna.create_study(direction="minimize", sampler=chosen)
        study.optimize(optuna_objective(function), n_trials=args.trials)
        results.append({"function": function, "sampler": f"optuna-{sampler}", "seed": seed,
                        "trials": args.trials, "best": study.best_value, "best_params": study.best_params,
                        "seconds": time.perf_counter() - start})
    return results


# ----------------------------------------------------------------------------------------------
# The report


def summary(results, function):
    best = [r["best"] for r in results]
    return {
        "mean": statistics.mean(best),
        "std": statistics.stdev(best) if len(best) > 1 else 0.0,
        "regret": statistics.mean(b - MINIMUM[function] for b in best),
        "ms_per_trial": 1000 * statistics.mean(r["seconds"] for r in results) / results[0]["trials"],
    }


def comparison(keel, optuna_side, seeds):
    """Keel's mean best against Optuna's: the ratio; how much worse Keel is as a share of Optuna's
    magnitude (negative: Keel is better), which reads the same for negative minima; and the
    difference in units of its standard error, which says whether the seeds can tell them apart."""
    worse = (keel["mean"] - optuna_side["mean"]) / abs(optuna_side["mean"])
    error = math.sqrt((keel["std"] ** 2 + optuna_side["std"] ** 2) / seeds)
    return {"ratio": keel["mean"] / optuna_side["mean"], "worse": worse, "within_target": worse <= TARGET,
            "z": (keel["mean"] - optuna_side["mean"]) / error if error > 0 else 0.0}


def fmt(value):
    return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.3e}"


def markdown(report):
    args = report["args"]
    machine = report["machine"]
    lines = [
        f"# Keel's TPE vs Optuna's — {report['date']}",
        "",
        f"- Machine: {machine['cpu']}, {machine['logical_cpus']} logical CPUs, "
        f"{', '.join(machine['simd']) or 'no AVX2'}, {machine['memory_gb']} GB RAM; {machine['os']}",
        f"- Keel side: {report['java']}; Keel commit {machine['git_commit']}",
        f"- Optuna side: Optuna {report['optuna']}, NumPy {report['numpy']}, Python {report['python']}",
        f"- Protocol: each function minimised by {args['trials']}-trial sequential studies, seeds 0-"
        f"{args['seeds'] - 1} (one study per seed and sampler); the best value of each study",
        f"- Reproduce: `{report['command']}`",
        "",
        "| function | sampler | mean best ± std | mean regret | ms/trial |",
        "|---|---|---:|---:|---:|",
    ]
    for function in args["functions"]:
        for name in report["order"]:
            s = report["summary"][function][name]
            lines.append(f"| {function} | {name} | {fmt(s['mean'])} ± {fmt(s['std'])} | {fmt(s['regret'])} "
                         f"| {s['ms_per_trial']:.2f} |")
    lines += [
        "",
        "| function | Keel | Optuna | Keel/Optuna mean best | Keel worse by | difference / SE | within 10% "
        "| both beat random |",
        "|---|---|---|---:|---:|---:|---|---|",
    ]
    for function in args["functions"]:
        for keel_name, optuna_name in PAIRS:
            c = report["comparison"][function][f"{keel_name} vs {optuna_name}"]
            s = report["summary"][function]
            beat = (s[keel_name]["mean"] < s["keel-random"]["mean"]
                    and s[optuna_name]["mean"] < s["optuna-random"]["mean"])
            lines.append(f"| {function} | {keel_name} | {optuna_name} | {c['ratio']:.3f} | {100 * c['worse']:+.1f}% "
                         f"| {c['z']:+.1f} | {'yes' if c['within_target'] else 'no'} | {'yes' if beat else 'no'} |")
    lines += [
        "",
        "Mean and sample standard deviation of the best value over the seeds (the standard error of a "
        f"mean is the standard deviation / {math.sqrt(args['seeds']):.2f}); regret is the best value "
        "minus the function's known minimum. \"Keel worse by\" is (Keel's mean best − Optuna's) / "
        "|Optuna's|, negative where Keel found better values, so that it reads the same for "
        "Hartmann-6's negative minimum as for the others; \"within 10%\" is the target, Keel's mean "
        "best at most 10% worse than Optuna's. \"difference / SE\" is Keel's mean best minus Optuna's "
        "over the standard error of that difference: within ±2 the seeds cannot tell the two apart. "
        "Each Keel TPE is held against the Optuna TPE of the same kind: keel-tpe (Keel's default, one "
        "estimator per key) against `TPESampler(multivariate=False)`, keel-tpe-multivariate against "
        "`TPESampler(seed=s)` with "
        "Optuna's defaults, which since Optuna 5.0 are multivariate for a single objective; the third "
        "row of each function holds the two defaults against each other. Both "
        "sides draw different random numbers, so single studies differ; only the means compare. "
        "ms/trial is the sampler and the function together, Keel's inside one JVM per sampler "
        "(JIT warm-up included), Optuna's with its in-memory storage.",
        "",
    ]
    return "\n".join(lines)


def main():
    args = parse_args()
    try:
        import optuna
    except ImportError:
        sys.exit("Optuna is not installed in this interpreter: pip install optuna")
    import numpy
    optuna.logging.set_verbosity(optuna.logging.WARNING)

    started = datetime.datetime.now()
    if not args.no_build:
        build()
    if not os.path.exists(JAR):
        sys.exit(f"{JAR} is missing: run without --no-build")
    java = bench_compare.command_output(["java", "-version"]) or "java"

    results, summaries, comparisons = [], {}, {}
    order = [f"keel-{s}" for s in KEEL_SAMPLERS] + [f"optuna-{s}" for s in OPTUNA_SAMPLERS]
    for function in args.functions:
        by_sampler = {}
        for sampler in KEEL_SAMPLERS:
            print(f"{function}: keel-{sampler}", flush=True)
            by_sampler[f"keel-{sampler}"] = run_keel(function, sampler, args)
        for sampler in OPTUNA_SAMPLERS:
            print(f"{function}: optuna-{sampler}", flush=True)
            by_sampler[f"optuna-{sampler}"] = run_optuna(optuna, function, sampler, args)
        summaries[function] = {name: summary(by_sampler[name], function) for name in order}
        comparisons[function] = {f"{keel} vs {other}": comparison(summaries[function][keel],
                                                                  summaries[function][other], args.seeds)
                                 for keel, other in PAIRS}
        for name in order:
            results.extend(by_sampler[name])

    machine = {**bench_compare.describe_cpu(), "os": f"{platform.system()} {platform.release()}",
               "git_commit": bench_compare.git_commit()}
    command = "tools/tpe_vs_optuna.py" + "".join(
        f" {arg}" for arg in sys.argv[1:] if arg != "--no-build")
    report = {
        "date": f"{started:%Y-%m-%d %H:%M}",
        "args": {"trials": args.trials, "seeds": args.seeds, "functions": args.functions},
        "command": command,
        "machine": machine,
        "java": java.splitlines()[0] if java else "java",
        "optuna": optuna.__version__,
        "numpy": numpy.__version__,
        "python": platform.python_version(),
        "order": order,
        "summary": summaries,
        "comparison": comparisons,
        "results": results,
    }
    text = markdown(report)
    print()
    print(text)
    os.makedirs(args.out_dir, exist_ok=True)
    slug = bench_compare.machine_slug(machine, "cpu")
    base = f"{started:%Y-%m-%d}-{slug}-tpe-vs-optuna" + (f"-{args.tag}" if args.tag else "")
    path = bench_compare.result_path(args.out_dir, base)
    with open(path + ".md", "w") as out:
        out.write(text)
    with open(path + ".json", "w") as out:
        json.dump(report, out, indent=1)
        out.write("\n")
    print(f"written: {os.path.relpath(path, ROOT)}.md and .json")


if __name__ == "__main__":
    main()
