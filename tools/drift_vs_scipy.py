#!/usr/bin/env python3
"""Keel's table drift statistics against SciPy's, then false alarms and a real drift on breast cancer.

    /usr/bin/python3 tools/drift_vs_scipy.py [--cases N] [--seeds 20]

Needs the drift module built with its test classes (the script builds it when they are missing):
    mvn -B -DskipTests package -pl drift -am

1. Agreement. Random columns (normal, shifted, heavy-tailed, integer-valued with ties, two to
   eight categories, unseen categories; reference sizes either side of 1,000) go through Keel's
   statistics (dev.keel.drift.DriftStatsMain, the code keel drift runs) and through SciPy's:
   scipy.stats.ks_2samp, wasserstein_distance divided by numpy.std of the reference (at least
   0.001), chisquare of the new counts against the reference proportions scaled to the new count,
   the two-proportion Z-test, scipy.spatial.distance.jensenshannon. Every statistic, p-value and
   distance must agree to 1e-6 (infinite chi-squared statistics must both be infinite).
2. False alarms. Breast cancer (569 rows, 30 numeric columns) cut into two random halves per seed,
   one the reference and the other the new data: how many seeds flag the dataset (share of drifted
   columns >= 0.5)? At most 1 in 20 is expected.
3. Real drift. The same halves (seed 0) with one column of the new half shifted by one standard
   deviation of the reference: that column is expected to drift and the others not.
Exits 1 when any of the three does not hold.
"""
import argparse
import csv
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from scipy import stats
from scipy.spatial import distance

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DRIFT = ROOT / "drift/target"
TOLERANCE = 1e-6
SHIFTED = "mean_radius"


def keel(tables, work):
    """Keel's table sections for the given tables (see DriftStatsMain)."""
    if not (DRIFT / "test-classes/dev/keel/drift/DriftStatsMain.class").exists():
        subprocess.run(["mvn", "-q", "-B", "-o", "-DskipTests", "package", "-pl", "drift", "-am"], cwd=ROOT,
                       check=True)
    cases = work / "cases.json"
    cases.write_text(json.dumps({"tables": tables}))
    classpath = ":".join([str(DRIFT / "keel-drift.jar"), str(DRIFT / "lib/*"), str(DRIFT / "test-classes")])
    out = subprocess.run(["java", "-Djava.awt.headless=true", "-cp", classpath, "dev.keel.drift.DriftStatsMain",
                          str(cases)], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def cells(values):
    return [repr(float(v)) if not isinstance(v, str) else v for v in values]


def scipy_column(test, ref, new):
    """(statistic, p-value or None, distance or None) as SciPy computes Keel's test."""
    if test == "ks":
        r = stats.ks_2samp(np.array(ref, float), np.array(new, float))
        return r.statistic, r.pvalue, None
    if test == "wasserstein":
        ref = np.array(ref, float)
        d = stats.wasserstein_distance(ref, np.array(new, float))
        return d, None, d / max(np.std(ref), 0.001)
    keys = list(dict.fromkeys(list(ref) + list(new)))
    rc = np.array([ref.count(k) for k in keys], float)
    nc = np.array([new.count(k) for k in keys], float)
    if test == "chisquare":
        expected = rc / rc.sum() * nc.sum()
        if np.any((expected == 0) & (nc > 0)):
            return math.inf, 0.0, None
        r = stats.chisquare(nc, expected)
        return r.statistic, r.pvalue, None
    if test == "z":
        if len(keys) < 2:
            return 0.0, 1.0, None
        n1, n2 = rc.sum(), nc.sum()
        p1, p2 = rc[0] / n1, nc[0] / n2
        pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        return z, 2 * stats.norm.sf(abs(z)), None
    d = distance.jensenshannon(rc / rc.sum(), nc / nc.sum())
    return d, None, d


def agreement(count, work):
    rng = np.random.default_rng(20261206)
    tables, expected = [], []
    forced = [{}, {"numeric_test": "wasserstein", "categorical_test": "jensenshannon"},
              {"numeric_test": "ks", "categorical_test": "chisquare"}]
    for case in range(count):
        n_ref = int(rng.choice([30, 200, 800, 1000, 1001, 2500]))
        n_new = int(rng.choice([25, 150, 900, 3000]))
        if case % 10 == 9:
            n_new = 12000  # past SciPy's exact limit: the asymptotic KS p-value
        shift = float(rng.choice([0, 0, 0.1, 0.5]))
        numeric = {
            "normal": (rng.normal(0, 1, n_ref), rng.normal(shift, 1, n_new)),
            "heavy": (rng.standard_t(2, n_ref), rng.standard_t(2, n_new) * (1 + shift)),
            "ties": (rng.integers(0, 8, n_ref), rng.integers(0, 8, n_new) + (rng.random(n_new) < shift)),
        }
        k = int(rng.integers(2, 9))
        p = rng.dirichlet(np.ones(k))
        q = (1 - shift) * p + shift * rng.dirichlet(np.ones(k))
        labels = [f"c{i}" for i in range(k)]
        categorical = {
            "cat": (list(rng.choice(labels, n_ref, p=p)), list(rng.choice(labels, n_new, p=q))),
            "two": (list(rng.choice(["yes", "no"], n_ref, p=[0.6, 0.4])),
                    list(rng.choice(["yes", "no"], n_new, p=[0.6 - shift / 2, 0.4 + shift / 2]))),
            "unseen": (list(rng.choice(labels[:2], n_ref)), list(rng.choice(labels[:3], n_new))),
        }
        config = forced[case % len(forced)]
        table = {"config": config, "types": {}, "reference": {}, "new": {}}
        for name, (ref, new) in numeric.items():
            table["types"][name] = "numeric"
            table["reference"][name] = cells(ref)
            table["new"][name] = cells(new)
        for name, (ref, new) in categorical.items():
            table["types"][name] = "categorical"
            table["reference"][name] = [str(v) for v in ref]
            table["new"][name] = [str(v) for v in new]
        tables.append(table)
    worst = {"statistic": 0.0, "p_value": 0.0, "distance": 0.0}
    tests = {}
    failures = []
    for table, section in zip(tables, keel(tables, work)):
        for column in section["columns"]:
            name, test = column["column"], column["test"]
            ref, new = table["reference"][name], table["new"][name]
            if table["types"][name] == "numeric":
                ref, new = [float(v) for v in ref], [float(v) for v in new]
            statistic, p_value, dist = scipy_column(test, ref, new)
            kind = "ks asymptotic" if test == "ks" and max(len(ref), len(new)) > 10000 else test
            tests[kind] = tests.get(kind, 0) + 1
            for key, theirs in (("statistic", statistic), ("p_value", p_value), ("distance", dist)):
                ours = column[key]
                if theirs is None:
                    if ours is not None:
                        failures.append(f"{name} {test}: {key} {ours}, SciPy has none")
                    continue
                if isinstance(ours, str) or math.isinf(theirs):
                    if not (math.isinf(theirs) and str(ours) == "Infinity"):
                        failures.append(f"{name} {test}: {key} {ours}, SciPy {theirs}")
                    continue
                error = abs(ours - theirs)
                worst[key] = max(worst[key], error)
                if error > TOLERANCE:
                    failures.append(f"{name} {test} ({len(ref)} vs {len(new)}): {key} Keel {ours!r}, SciPy {theirs!r}")
    columns = sum(tests.values())
    print(f"agreement: {columns} columns ({', '.join(f'{t} {n}' for t, n in sorted(tests.items()))}); largest"
          f" difference from SciPy: statistic {worst['statistic']:.2e}, p-value {worst['p_value']:.2e},"
          f" distance {worst['distance']:.2e} (tolerance {TOLERANCE:g})")
    for failure in failures[:20]:
        print("  DIFFERS: " + failure)
    return not failures


def breast_cancer(work):
    subprocess.run([sys.executable, str(HERE / "sklearn_csv.py"), str(work)], check=True, capture_output=True)
    with open(work / "breast_cancer.csv", newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    label = header.index("diagnosis")
    features = [c for i, c in enumerate(header) if i != label]
    columns = {name: [row[header.index(name)] for row in rows] for name in features}
    return features, columns, len(rows)


def halves(features, columns, rows, seed, shift=None):
    order = np.random.default_rng(seed).permutation(rows)
    a, b = order[: rows // 2 + rows % 2], order[rows // 2 + rows % 2:]
    table = {"config": {}, "types": {n: "numeric" for n in features}, "reference": {}, "new": {}}
    for name in features:
        values = columns[name]
        table["reference"][name] = [values[i] for i in a]
        table["new"][name] = [values[i] for i in b]
    if shift is not None:
        reference = np.array(table["reference"][shift], float)
        table["new"][shift] = [repr(float(v) + float(np.std(reference))) for v in table["new"][shift]]
    return table


def false_alarms(seeds, work):
    features, columns, rows = breast_cancer(work)
    tables = [halves(features, columns, rows, seed) for seed in range(seeds)]
    sections = keel(tables, work)
    flagged = sum(1 for s in sections if s["drifted"])
    drifted = [s["drifted_columns"] for s in sections]
    print(f"false alarms: breast cancer, two random halves ({sections[0]['reference_rows']} and"
          f" {sections[0]['new_rows']} rows, {len(features)} columns, KS): dataset flagged in {flagged} of {seeds}"
          f" seeds; drifted columns per seed {drifted} (most {max(drifted)}, mean {np.mean(drifted):.2f})")
    return flagged <= max(1, seeds // 20)


def real_drift(work):
    features, columns, rows = breast_cancer(work)
    section = keel([halves(features, columns, rows, 0, shift=SHIFTED)], work)[0]
    found = [c["column"] for c in section["columns"] if c["drifted"]]
    column = next(c for c in section["columns"] if c["column"] == SHIFTED)
    print(f"real drift: {SHIFTED} of the new half shifted by one reference standard deviation: drifted columns"
          f" {found}; {SHIFTED}: KS D {column['statistic']:.4f}, p-value {column['p_value']:.3g}"
          f" (threshold {column['threshold']}); dataset share {section['share']:.3f}, verdict"
          f" {'drift' if section['drifted'] else 'no drift'}")
    return found == [SHIFTED]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=60, help="random tables of six columns each (default 60)")
    parser.add_argument("--seeds", type=int, default=20, help="seeds of the false-alarm check (default 20)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        results = [agreement(args.cases, work), false_alarms(args.seeds, work), real_drift(work)]
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
