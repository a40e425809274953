#!/usr/bin/env python3
"""Train every trial of a finished study to its last epoch, to check what ASHA's pausing cost.

Usage: tools/finish_trials.py STUDY [--out DIR]

Each trial that ASHA paused is copied to DIR/trial-NNNN (default STUDY/../<study>-finished) and
continued with `./keel resume` to the config's last epoch: a paused trial is an interrupted run
with a checkpoint, so this trains it exactly as if it had never stopped, and costs only the epochs
it had left. Completed trials are read as they are. Prints, and writes to DIR/finished.md, the
validation accuracy of every trial after its last epoch, the best of them, the study's own best,
and the epochs the study trained against all trials run to the end.
"""
import argparse
import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def last_valid_accuracy(run_dir: Path) -> float:
    value = None
    for line in (run_dir / "metrics.jsonl").read_text().splitlines():
        record = json.loads(line)
        if record.get("kind") == "epoch" and "valid_accuracy" in record:
            value = record["valid_accuracy"]
    return value


def epochs_of(run_dir: Path) -> int:
    return json.loads((run_dir / "summary.json").read_text())["epochs"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    study = args.study.resolve()
    out = (args.out or study.parent / (study.name + "-finished")).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with open(study / "trials.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    results = []
    for row in rows:
        trial_dir = study / row["run_dir"]
        if row["state"] == "complete":
            finished = trial_dir
        elif row["state"] in ("pruned", "paused"):
            finished = out / trial_dir.name
            if not (finished / "model").is_dir():
                if finished.exists():
                    shutil.rmtree(finished)
                shutil.copytree(trial_dir, finished, ignore=shutil.ignore_patterns(".lock"))
                print(f"trial {row['trial']}: continuing from epoch {row['epochs']}", flush=True)
                subprocess.run([str(ROOT / "keel"), "resume", str(finished)], check=True,
                               stdout=subprocess.DEVNULL)
        else:
            continue
        results.append((int(row["trial"]), int(row["epochs"]), last_valid_accuracy(finished)))
    summary = json.loads((study / "study.json").read_text())
    best_all = max(results, key=lambda r: (r[2], -r[0]))
    max_epochs = max(epochs_of(study / row["run_dir"]) for row in rows if row["state"] == "complete")
    lines = [f"# Study {study.name}: every trial trained to the end", "",
             "| trial | epochs in the study | valid accuracy after the last epoch |", "|---:|---:|---:|"]
    lines += [f"| {t} | {e} | {100 * a:.2f}% |" for t, e, a in results]
    lines += ["", f"- best of all trials run to the end: trial {best_all[0]}, {100 * best_all[2]:.2f}%",
              f"- the study's best: trial {summary['best']['trial']}, {100 * summary['best']['value']:.2f}%",
              f"- difference: {100 * (best_all[2] - summary['best']['value']):.2f} points",
              f"- epochs the study trained: {summary['epochs_trained']} of {len(rows)} x {max_epochs} = "
              f"{len(rows) * max_epochs} ({100 * summary['epochs_trained'] / (len(rows) * max_epochs):.0f}%)"]
    text = "\n".join(lines) + "\n"
    (out / "finished.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
